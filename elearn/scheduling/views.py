"""The learner's side of scheduling: find activities, register, withdraw, see my schedule."""
from __future__ import annotations

import calendar as calendar_module
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.access import Role, login_required, public, roles_required
from elearn.database import utcnow
from elearn.extensions import db
from elearn.forms import SimpleActionForm, options
from elearn.i18n import by_name
from elearn.languages import CONTENT_LANGUAGES
from elearn.params import int_arg, parse_int
from elearn.people.models import Parliament
from elearn.scheduling import balance, consequences, display, nominations, queries, services
from elearn.scheduling.forms import NominationForm
from elearn.scheduling.models import (
    Activity,
    ActivityStatus,
    Audience,
    Modality,
    Programme,
    Registration,
    RegistrationState,
)
from elearn.topics import Topic

bp = Blueprint("scheduling", __name__)
display.register(bp)


def _filter_choices():
    return {
        "modalities": Modality.labels(),
        "audiences": Audience.labels(),
        "content_languages": CONTENT_LANGUAGES,
        "topics": by_name(db.session.scalars(select(Topic)).all()),
        "parliaments": by_name(db.session.scalars(select(Parliament)
                                                  .where(Parliament.receives_assistance.is_(True))).all()),
        "programmes": db.session.scalars(select(Programme).order_by(Programme.title)).all(),
    }


@bp.get("/activities")
@public
def activities():
    filters = queries.ActivityFilters.from_args(request.args)
    statement = queries.public_activities(filters, since=utcnow())
    page = db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    seats = queries.confirmed_counts([a.id for a in page.items])
    return render_template("scheduling/activities.html", page=page, filters=filters, confirmed=seats,
                           args=request.args, **_filter_choices())


@bp.get("/activities/month")
@public
def month():
    today = utcnow().astimezone(get_timezone()).date()
    year = int_arg("year") or today.year
    month_number = int_arg("month") or today.month
    if not (1 <= month_number <= 12 and 2000 <= year <= 2100):
        abort(404)
    filters = queries.ActivityFilters.from_args(request.args)
    since, until = queries.month_bounds(year, month_number)
    by_day: dict[date, list[queries.MonthEntry]] = {}
    zone = get_timezone()
    for entry in queries.month_entries(filters, since=since, until=until):
        day = entry.starts_at.astimezone(zone).date()
        last = (entry.ends_at - timedelta(seconds=1)).astimezone(zone).date()
        while day <= last:
            by_day.setdefault(day, []).append(entry)
            day += timedelta(days=1)
    # A day shows a few activities; "N more" opens that day's full list (?day=), so the page stays small.
    chosen = _day_arg(year, month_number)
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month_number)
    previous = date(year, month_number, 1) - timedelta(days=1)
    following = date(year, month_number, 28) + timedelta(days=7)
    return render_template("scheduling/month.html", weeks=weeks, by_day=by_day, year=year, month=month_number,
                           first_day=date(year, month_number, 1), previous=previous, following=following,
                           today=today, chosen=chosen, day_items=MONTH_DAY_ITEMS)


MONTH_DAY_ITEMS = 3


def _day_arg(year: int, month_number: int) -> date | None:
    """The `day` of the month view's query string opened in full, if it is a day of that month."""
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None
    return day if (day.year, day.month) == (year, month_number) else None


def _waiting_line(registration: Registration, *, just_joined: bool = False) -> str:
    """Where a waiting person stands, and why they wait when a seat is free (their parliament's quota)."""
    rank = services.waitlist_rank(registration)
    if services.waits_for_quota(registration):
        return ngettext("Your parliament's quota of %(num)d seat is reached: you are on the waiting list, "
                        "position %(n)d.",
                        "Your parliament's quota of %(num)d seats is reached: you are on the waiting list, "
                        "position %(n)d.", registration.activity.quota_per_parliament, n=rank)
    if just_joined:
        return _("The activity is full: you are on the waiting list, position %(n)d.", n=rank)
    return _("You are on the waiting list, position %(n)d.", n=rank)


@bp.get("/activities/<int:activity_id>")
@public
def activity(activity_id: int):
    item = db.session.scalar(select(Activity).where(Activity.id == activity_id).options(*queries.listing_options()))
    if item is None or item.status == ActivityStatus.DRAFT:
        abort(404)
    registration = None
    problem = None
    clashes = []
    active = False
    if current_user.is_authenticated:
        registration = db.session.scalar(select(Registration).where(
            Registration.activity_id == item.id, Registration.person_id == current_user.id))
        problem = services.eligibility_problem(item, current_user)
        active = registration is not None and registration.state in services.ACTIVE_STATES
        if not active:
            clashes = services.clashing_activities(current_user, item)
    seats_left = services.seats_left(item)
    return render_template(
        "scheduling/activity.html", activity=item, registration=registration, problem=problem, clashes=clashes,
        seats_left=seats_left, action_form=SimpleActionForm(),
        waiting_line=_waiting_line(registration) if active and registration.state == RegistrationState.WAITLISTED
        else None,
        # A free seat that this person's parliament may not take: say so before they click.
        quota_reached=current_user.is_authenticated and not active and seats_left > 0
        and not services.quota_allows(item, current_user))


@bp.post("/activities/<int:activity_id>/register")
@login_required
def register(activity_id: int):
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    try:
        outcome = services.register(activity_id, current_user._get_current_object())
    except services.SchedulingError as error:
        flash(str(error), "error")
        return redirect(url_for("scheduling.activity", activity_id=activity_id))
    state = outcome.registration.state
    if not outcome.created:
        flash(_("You are already registered for this activity."), "info")
    elif state == RegistrationState.CONFIRMED:
        flash(_("Your seat is confirmed."), "success")
    elif state == RegistrationState.WAITLISTED:
        flash(_waiting_line(outcome.registration, just_joined=True), "info")
    else:
        flash(_("Your request is sent; a trainer will confirm it."), "info")
    for other in outcome.clashes:
        flash(_("Note: this overlaps with “%(title)s”, for which you are confirmed.", title=other.title), "warning")
    return redirect(url_for("scheduling.activity", activity_id=activity_id))


def _own_registration_or_404(registration_id: int) -> Registration:
    registration = db.get_or_404(Registration, registration_id)
    if registration.person_id != current_user.id:
        abort(404)  # someone else's registration does not exist, as far as this person knows
    return registration


def _back_after_withdrawal(registration: Registration, target: str | None) -> str:
    return (url_for("scheduling.my_schedule") if target == "schedule"
            else url_for("scheduling.activity", activity_id=registration.activity_id))


@bp.get("/registrations/<int:registration_id>/withdraw")
@login_required
def confirm_withdraw(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    back = _back_after_withdrawal(registration, request.args.get("back"))
    if registration.state not in services.ACTIVE_STATES:
        flash(_("This registration is no longer active."), "info")
        return redirect(back)
    return render_template(
        "confirm.html", title=_("Withdraw from “%(title)s”?", title=registration.activity.title),
        lines=consequences.of_withdrawal(registration), form=SimpleActionForm(), confirm_label=_("Yes, withdraw"),
        action=url_for("scheduling.withdraw", registration_id=registration.id), back=back,
        hidden={"back": request.args.get("back", "")})


@bp.post("/registrations/<int:registration_id>/withdraw")
@login_required
def withdraw(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    back = _back_after_withdrawal(registration, request.form.get("back"))
    previous = registration.state
    try:
        services.withdraw(registration)
    except services.SchedulingError as error:
        flash(str(error), "error")
    else:
        flash(consequences.after_withdrawal(previous), "success")
    return redirect(back)


@bp.get("/my/schedule")
@login_required
def my_schedule():
    statement = (select(Registration).join(Activity)
                 .where(Registration.person_id == current_user.id, Registration.state.in_(services.ACTIVE_STATES),
                        Activity.ends_at >= utcnow() - timedelta(days=1))
                 .options(selectinload(Registration.activity).selectinload(Activity.sessions))
                 .order_by(Activity.starts_at, Registration.id))
    page = db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    waiting = [r for r in page.items if r.state == RegistrationState.WAITLISTED]
    ranks = services.waitlist_ranks_among([r.activity_id for r in waiting], [r.id for r in waiting])
    return render_template("scheduling/my_schedule.html", registrations=page.items, page=page, ranks=ranks)


@bp.route("/activities/<int:activity_id>/nominate", methods=["GET", "POST"])
@roles_required(Role.FOCAL_POINT)
def nominate(activity_id: int):
    item = db.get_or_404(Activity, activity_id)
    if item.status == ActivityStatus.DRAFT:
        abort(404)
    focal_point = current_user._get_current_object()
    form = NominationForm()
    if request.method == "POST":
        # Only a colleague the focal point may nominate here is a valid choice: anyone else's id is refused.
        nominee = nominations.nominable_person(item, focal_point, parse_int(request.form.get("person_id")))
        form.person_id.choices = options([(nominee.id, nominee.full_name)] if nominee else [])
    if form.validate_on_submit():
        try:
            outcome = services.nominate(item.id, nominee, focal_point)
        except services.SchedulingError as error:
            form.person_id.errors.append(str(error))
        else:
            flash(_("%(name)s is nominated (%(state)s).", name=nominee.full_name,
                    state=services.state_label(outcome.registration.state)), "success")
            return redirect(url_for("scheduling.nominate", activity_id=item.id, q=request.args.get("q") or None))
    search = request.args.get("q", "").strip()
    candidates = db.paginate(nominations.nominable(item, focal_point, search),
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)
    balance_note = balance.opposition_note(item, focal_point)
    if balance_note is not None and balance_note.audited:
        db.session.commit()  # the audit of the share shown (a commit expires what the page reads: only then)
    return render_template("scheduling/nominate.html", activity=item, form=form, candidates=candidates,
                           search=search, delegation=nominations.delegation(item, focal_point.parliament_id),
                           balance_note=balance_note)
