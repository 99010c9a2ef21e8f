"""A pair's meetings: the list, schedule, change, cancel, mark held (the pair's page shows them through
templates/mentoring/_meetings.html). Whoever cannot see the pair gets a 404; whoever sees it but may not act, a 403."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import login_required
from elearn.database import utcnow
from elearn.extensions import db
from elearn.forms import SimpleActionForm, show_error
from elearn.mentoring import meetings as service
from elearn.mentoring.meetings_forms import MeetingForm
from elearn.mentoring.models import MentoringMeeting, MentoringPair
from elearn.mentoring.rules import can_schedule, can_see, is_pair_trainer, is_party
from elearn.scheduling.display import format_span

bp = Blueprint("mentoring_meetings", __name__)
PER_PAGE = 20
# The pair's own page, when the pairs' part is installed (it includes the meetings partial).
PAIR_ENDPOINT = "mentoring.pair"


def _me():
    return current_user._get_current_object()


def _visible_pair(pair_id: int) -> MentoringPair:
    pair = db.get_or_404(MentoringPair, pair_id)
    if not can_see(_me(), pair):
        abort(404)  # another pair's existence is nobody else's business
    return pair


def _visible_meeting(meeting_id: int) -> MentoringMeeting:
    meeting = db.get_or_404(MentoringMeeting, meeting_id)
    _visible_pair(meeting.pair_id)
    return meeting


def pair_page(pair: MentoringPair) -> str | None:
    if PAIR_ENDPOINT in current_app.view_functions:
        return url_for(PAIR_ENDPOINT, pair_id=pair.id)
    return None


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as the viewer reads it: in their timezone, and in the scheduler's when that differs."""

    meeting: MentoringMeeting
    when: str
    scheduled_as: str | None
    may_change: bool
    may_record: bool


def _row(meeting: MentoringMeeting, now: datetime) -> MeetingRow:
    viewer, zone, locale = get_timezone(), ZoneInfo(meeting.timezone), get_locale()
    when = format_span(meeting.starts_at, meeting.ends_at, False, activity_zone=zone, zone=viewer, locale=locale)
    differs = meeting.starts_at.astimezone(viewer).utcoffset() != meeting.starts_at.astimezone(zone).utcoffset()
    scheduled_as = (format_span(meeting.starts_at, meeting.ends_at, False, activity_zone=zone, zone=zone,
                                locale=locale) if differs else None)
    me = _me()
    return MeetingRow(meeting, when, scheduled_as, service.may_change(me, meeting),
                      service.may_record(me, meeting, now))


@dataclass(frozen=True)
class MeetingsPanel:
    pair: MentoringPair
    coming: list[MeetingRow]
    past: list[MeetingRow]
    may_schedule: bool
    zone: str
    form: SimpleActionForm


def meetings_panel(pair: MentoringPair) -> MeetingsPanel | None:
    """What templates/mentoring/_meetings.html shows of a pair (None for whoever may not see it)."""
    if not can_see(_me(), pair):
        return None
    now = utcnow()
    coming, past = service.upcoming_and_recent(pair, now)
    return MeetingsPanel(pair, [_row(m, now) for m in coming], [_row(m, now) for m in past],
                         can_schedule(_me(), pair), str(get_timezone()), SimpleActionForm())


@bp.app_template_global("mentoring_meetings_panel")
def _panel_global(pair: MentoringPair) -> MeetingsPanel | None:
    return meetings_panel(pair)


@bp.get("/mentoring/pairs/<int:pair_id>/meetings")
@login_required
def meetings(pair_id: int):
    pair = _visible_pair(pair_id)
    page = db.paginate(service.pair_meetings(pair), page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    now = utcnow()
    return render_template("mentoring/meetings.html", pair=pair, page=page,
                           rows=[_row(m, now) for m in page.items], may_schedule=can_schedule(_me(), pair),
                           zone=str(get_timezone()), form=SimpleActionForm(), pair_url=pair_page(pair))


def _back(pair: MentoringPair):
    return redirect(url_for("mentoring_meetings.meetings", pair_id=pair.id))


@bp.route("/mentoring/pairs/<int:pair_id>/meetings/new", methods=["GET", "POST"])
@login_required
def schedule(pair_id: int):
    pair = _visible_pair(pair_id)
    if not can_schedule(_me(), pair):
        abort(403)
    form = MeetingForm()
    form.offer_zones(service.timezone_choices(pair, _me()))
    if form.validate_on_submit():
        try:
            service.schedule(pair, form.to_input(), _me())
        except service.MeetingError as error:
            show_error(form, error)
        else:
            flash(_("The meeting is scheduled; you both have been sent a calendar invitation."), "success")
            return _back(pair)
    return render_template("mentoring/meeting_form.html", pair=pair, form=form, meeting=None)


@bp.route("/mentoring/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = _visible_meeting(meeting_id)
    if not service.may_change(_me(), meeting):
        abort(403)
    form = MeetingForm()
    if request.method == "GET":
        form.fill(meeting)
    form.offer_zones(service.timezone_choices(meeting.pair, _me(), meeting.timezone))
    if form.validate_on_submit():
        try:
            changed = service.update(meeting, form.to_input(), _me())
        except service.MeetingError as error:
            show_error(form, error)
        else:
            flash(_("The meeting is changed.") if changed else _("Nothing changed."), "success" if changed else "info")
            return _back(meeting.pair)
    return render_template("mentoring/meeting_form.html", pair=meeting.pair, form=form, meeting=meeting)


@bp.get("/mentoring/meetings/<int:meeting_id>/cancel")
@login_required
def confirm_cancel(meeting_id: int):
    meeting = _visible_meeting(meeting_id)
    if not service.may_change(_me(), meeting):
        abort(403)
    when = format_datetime(meeting.starts_at, "full")
    return render_template(
        "confirm.html", title=_("Cancel the meeting of %(when)s?", when=when),
        lines=[_("Both of you are sent a cancellation, which removes the meeting from your calendars.")],
        form=SimpleActionForm(), action=url_for("mentoring_meetings.cancel", meeting_id=meeting.id),
        confirm_label=_("Yes, cancel the meeting"),
        back=url_for("mentoring_meetings.meetings", pair_id=meeting.pair_id))


@bp.post("/mentoring/meetings/<int:meeting_id>/cancel")
@login_required
def cancel(meeting_id: int):
    meeting = _visible_meeting(meeting_id)
    if not service.may_change(_me(), meeting):
        abort(403)
    if not SimpleActionForm().validate_on_submit():
        flash(_("The form had expired; please try again."), "error")
    else:
        service.cancel(meeting, _me())
        flash(_("The meeting is cancelled."), "success")
    return _back(meeting.pair)


@bp.post("/mentoring/meetings/<int:meeting_id>/held")
@login_required
def mark_held(meeting_id: int):
    meeting = _visible_meeting(meeting_id)
    if not (is_party(_me(), meeting.pair) or is_pair_trainer(_me(), meeting.pair)):
        abort(403)
    if not SimpleActionForm().validate_on_submit():
        flash(_("The form had expired; please try again."), "error")
        return _back(meeting.pair)
    try:
        service.mark_held(meeting, _me())
    except service.MeetingError as error:
        flash(str(error), "error")
    else:
        flash(_("The meeting is marked held."), "success")
    return _back(meeting.pair)
