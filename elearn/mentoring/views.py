"""The pages of the pair's people and of focal points: my mentoring, a focal point's request, the pair page and
what the pair does on it (accept or decline, mark objectives, write the log, review)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Role, login_required, roles_required
from elearn.extensions import db
from elearn.forms import SimpleActionForm, options, show_error
from elearn.i18n import moment
from elearn.mentoring import pair_log, pairs, queries, rules
from elearn.mentoring.forms import AgreementForm, NoteForm, ObjectiveForm, ReviewForm
from elearn.mentoring.models import MeetingStatus, MentoringPair, ObjectiveStatus
from elearn.people.models import Person

bp = Blueprint("mentoring", __name__)


def _me():
    return current_user._get_current_object()


def pair_or_404(pair_id: int, allowed=rules.may_open) -> MentoringPair:
    """Someone who may not open a pair is told it does not exist: its existence is the pair's business."""
    pair = db.get_or_404(MentoringPair, pair_id)
    if not allowed(_me(), pair):
        abort(404)
    return pair


def to_pair(pair: MentoringPair, anchor: str = ""):
    return redirect(url_for("mentoring.pair", pair_id=pair.id) + (f"#{anchor}" if anchor else ""))


@bp.get("/mentoring")
@login_required
def mine():
    me = _me()
    size = current_app.config["PAGE_SIZE"]
    page = db.paginate(queries.mine(me), per_page=size, error_out=False)
    requests = None
    if me.role == Role.FOCAL_POINT:
        requests = db.paginate(queries.of_parliament(me.parliament_id), page=request.args.get(
            "requests_page", 1, type=int), per_page=size, error_out=False)
    return render_template("mentoring/mine.html", page=page, requests=requests, rules=rules, form=SimpleActionForm())


@bp.route("/mentoring/request", methods=["GET", "POST"])
@roles_required(Role.FOCAL_POINT)
def request_mentor():
    me = _me()
    form = AgreementForm()
    form.offer(mentees=queries.possible_mentees(me.parliament_id) if me.parliament_id else [],
               locale=str(get_locale()))
    if form.validate_on_submit():
        try:
            pairs.request_mentor(mentee=db.session.get(Person, form.chosen("mentee_id") or 0),
                                 agreement=form.to_input(), focal_point=me)
        except pairs.PairError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("Your request is sent. The cooperation unit will find a mentor and propose the pair."), "success")
            return redirect(url_for("mentoring.mine"))
    return render_template("mentoring/request.html", form=form)


@bp.get("/mentoring/<int:pair_id>")
@login_required
def pair(pair_id: int):
    pair = pair_or_404(pair_id)
    me = _me()
    notes = note_form = None
    if rules.can_read_log(me, pair):
        notes = db.paginate(pair_log.notes_query(pair), per_page=current_app.config["PAGE_SIZE"], error_out=False)
        note_form = NoteForm()
        note_form.meeting_id.choices = options([("", "—")] + [
            (str(meeting.id), moment(meeting.starts_at)) for meeting in pair.meetings
            if meeting.status != MeetingStatus.CANCELLED])
    reviews = pair_log.reviews_of(pair) if rules.can_see(me, pair) else {}
    side = rules.side_of(me, pair)
    review_form = ReviewForm() if rules.can_review(me, pair) and side and side.value not in reviews else None
    return render_template("mentoring/pair.html", pair=pair, rules=rules, notes=notes, note_form=note_form,
                           reviews=reviews, review_form=review_form, action=SimpleActionForm(),
                           objective_form=ObjectiveForm(), statuses=list(ObjectiveStatus))


def _answer(pair_id: int, operation, done: str):
    pair = pair_or_404(pair_id)
    if not SimpleActionForm().validate_on_submit():
        flash(_("Nothing was changed: use the buttons on the pair's page."), "error")
        return to_pair(pair)
    try:
        operation(pair, _me())
    except pairs.PairError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(done, "success")
    return to_pair(pair)


@bp.post("/mentoring/<int:pair_id>/accept")
@login_required
def accept(pair_id: int):
    return _answer(pair_id, pairs.accept, _("You accepted the pairing. It starts when both of you have accepted."))


@bp.post("/mentoring/<int:pair_id>/decline")
@login_required
def decline(pair_id: int):
    return _answer(pair_id, pairs.decline, _("You declined the pairing. The trainer is told."))


@bp.post("/mentoring/<int:pair_id>/objectives/<int:objective_id>")
@login_required
def objective(pair_id: int, objective_id: int):
    pair = pair_or_404(pair_id)
    form = ObjectiveForm()
    if not form.validate_on_submit():
        flash(_("Choose how far the objective has come."), "error")
        return to_pair(pair, "objectives")
    try:
        pair_log.set_objective(pair, objective_id, ObjectiveStatus(form.status.data), _me())
    except pairs.PairError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("The objective's progress is saved."), "success")
    return to_pair(pair, "objectives")


@bp.post("/mentoring/<int:pair_id>/notes")
@login_required
def add_note(pair_id: int):
    pair = pair_or_404(pair_id, rules.can_read_log)
    form = NoteForm()
    form.meeting_id.choices = options([("", "—")] + [(str(m.id), "") for m in pair.meetings])
    if not form.validate_on_submit():
        flash(_("Write the note first."), "error")
        return to_pair(pair, "log")
    try:
        pair_log.add_note(pair, _me(), form.body.data, int(form.meeting_id.data) if form.meeting_id.data else None)
    except pairs.PairError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("Your note is in the pair's log."), "success")
    return to_pair(pair, "log")


@bp.post("/mentoring/<int:pair_id>/review")
@login_required
def review(pair_id: int):
    pair = pair_or_404(pair_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_("Choose a rating from 1 to 5."), "error")
        return to_pair(pair, "reviews")
    try:
        pair_log.submit_review(pair, _me(), rating=form.rating_value(), what_worked=form.what_worked.data,
                               what_to_change=form.what_to_change.data)
    except pairs.PairError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("Thank you: your review is recorded."), "success")
    return to_pair(pair, "reviews")

