"""Trainers' pages: schedule activities, manage registrations, take attendance, export rosters."""
from __future__ import annotations

from babel import Locale
from babel.numbers import format_decimal
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.access import Role, roles_required
from elearn.database import utcnow
from elearn.exports import csv_stream, xlsx_stream
from elearn.extensions import db
from elearn.forms import SimpleActionForm, options, show_error
from elearn.i18n import by_name
from elearn.params import int_arg
from elearn.people.models import Gender, Parliament, Person, PersonKind
from elearn.scheduling import activity_form, balance, consequences, queries, rosters, services
from elearn.scheduling import programmes as programmes_service
from elearn.scheduling.forms import (
    ActivityForm,
    CloneForm,
    DecisionForm,
    ProgrammeForm,
)
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    AttendanceStatus,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    Registration,
    RegistrationState,
)

bp = Blueprint("scheduling_admin", __name__, url_prefix="/manage")
trainers_only = roles_required(Role.TRAINER)


def _activity_or_404(activity_id: int) -> Activity:
    return db.get_or_404(Activity, activity_id)


@bp.get("/activities")
@trainers_only
def activities():
    status = request.args.get("status", "")
    statement = select(Activity).options(selectinload(Activity.sessions), selectinload(Activity.programme))
    if status in {s.value for s in ActivityStatus}:
        statement = statement.where(Activity.status == ActivityStatus(status))
    if request.args.get("mine"):
        statement = statement.where(Activity.trainers.any(Person.id == current_user.id))
    statement = statement.order_by(Activity.starts_at.desc(), Activity.id.desc())
    page = db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    counts = queries.confirmed_counts([a.id for a in page.items])
    return render_template("scheduling_admin/activities.html", page=page, status=status, confirmed=counts,
                           mine=bool(request.args.get("mine")))


@bp.route("/activities/new", methods=["GET", "POST"])
@trainers_only
def create_activity():
    form = ActivityForm()
    activity_form.set_choices(form)
    if request.method == "GET":
        form.timezone.data = current_user.timezone or "UTC"
        form.languages.data = ["en"]
        form.trainer_ids.data = [current_user.id]
    if form.validate_on_submit():
        try:
            activity = services.create_activity(activity_form.to_input(form), current_user._get_current_object())
        except services.SchedulingError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The activity is saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("scheduling_admin.overview", activity_id=activity.id))
    return render_template("scheduling_admin/activity_form.html", form=form, activity=None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@trainers_only
def edit_activity(activity_id: int):
    activity = _activity_or_404(activity_id)
    form = ActivityForm(obj=activity)
    activity_form.set_choices(form)
    if request.method == "GET":
        activity_form.fill(form, activity)
    if form.validate_on_submit():
        try:
            services.update_activity(activity, activity_form.to_input(form))
        except services.SchedulingError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Changes are saved."), "success")
            return redirect(url_for("scheduling_admin.overview", activity_id=activity.id))
    return render_template("scheduling_admin/activity_form.html", form=form, activity=activity)


@bp.post("/activities/<int:activity_id>/status")
@trainers_only
def change_status(activity_id: int):
    activity = _activity_or_404(activity_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    try:
        status = ActivityStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    if status == ActivityStatus.CANCELLED:
        abort(400)  # cancelling tells every participant: it is asked once more, on its own page
    try:
        services.set_status(activity, status)
    except services.SchedulingError as error:
        flash(str(error), "error")
    else:
        flash(_("The activity is now %(status)s.", status=services.status_label(activity.status)), "success")
    return redirect(url_for("scheduling_admin.overview", activity_id=activity.id))


@bp.get("/activities/<int:activity_id>/cancel")
@trainers_only
def confirm_cancel(activity_id: int):
    activity = _activity_or_404(activity_id)
    back = url_for("scheduling_admin.overview", activity_id=activity.id)
    if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.PUBLISHED):
        flash(_("Only a draft or a published activity can be cancelled."), "error")
        return redirect(back)
    return render_template("confirm.html", title=_("Cancel “%(title)s”?", title=activity.title),
                           lines=consequences.of_cancellation(activity), form=SimpleActionForm(), back=back,
                           action=url_for("scheduling_admin.cancel_activity", activity_id=activity.id),
                           confirm_label=_("Yes, cancel the activity"))


@bp.post("/activities/<int:activity_id>/cancel")
@trainers_only
def cancel_activity(activity_id: int):
    activity = _activity_or_404(activity_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    try:
        services.set_status(activity, ActivityStatus.CANCELLED)
    except services.SchedulingError as error:
        flash(str(error), "error")
    else:
        flash(_("The activity is now %(status)s.", status=services.status_label(activity.status)), "success")
    return redirect(url_for("scheduling_admin.overview", activity_id=activity.id))


@bp.route("/activities/<int:activity_id>/clone", methods=["GET", "POST"])
@trainers_only
def clone(activity_id: int):
    activity = _activity_or_404(activity_id)
    form = CloneForm()
    if form.validate_on_submit():
        try:
            copy = services.clone_activity(activity, form.shift_days.data, current_user._get_current_object())
        except services.SchedulingError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("A draft copy is ready; check it and publish it."), "success")
            return redirect(url_for("scheduling_admin.edit_activity", activity_id=copy.id))
    return render_template("scheduling_admin/clone.html", form=form, activity=activity)


def _roster_page_size() -> int:
    return current_app.config["ROSTER_PAGE_SIZE"]


@bp.get("/activities/<int:activity_id>")
@trainers_only
def overview(activity_id: int):
    activity = _activity_or_404(activity_id)
    roster = db.paginate(rosters.roster_statement(activity, request.args), per_page=_roster_page_size(),
                         error_out=False)
    parliaments = by_name(rosters.registered_parliaments(activity))
    filters = {key: request.args[key] for key in ("state", "parliament", "gender", "kind") if request.args.get(key)}
    balance_note = balance.opposition_note(activity, current_user._get_current_object())
    if balance_note is not None and balance_note.audited:
        db.session.commit()  # the audit of the share shown (a commit expires what the page reads: only then)
    return render_template(
        "scheduling_admin/overview.html", activity=activity, roster=roster, args=request.args, filters=filters,
        clashes=services.staff_clashes(activity), seats_left=services.seats_left(activity),
        parliaments=parliaments, action_form=SimpleActionForm(), decision_form=DecisionForm(),
        genders=Gender.choices(), kinds=PersonKind.choices(), registration_states=RegistrationState.choices(),
        state_counts=rosters.state_counts(activity), hours=services.hours_attended,
        ranks=services.waitlist_ranks_among([activity.id], [r.id for r in roster.items]), now=utcnow(),
        balance_note=balance_note)


@bp.post("/registrations/<int:registration_id>/decide")
@trainers_only
def decide(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    approve = request.form.get("decision") == "approve"
    try:
        services.decide(registration, approve, form.message.data or "")
    except services.SchedulingError as error:
        flash(str(error), "error")
    else:
        flash(_("The decision is recorded and %(name)s is told by email.", name=registration.person.full_name),
              "success")
    return redirect(url_for("scheduling_admin.overview", activity_id=registration.activity_id))


@bp.get("/registrations/<int:registration_id>/remove")
@trainers_only
def confirm_remove(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    back = url_for("scheduling_admin.overview", activity_id=registration.activity_id)
    if registration.state not in (RegistrationState.CONFIRMED, RegistrationState.WAITLISTED):
        flash(_("Only a confirmed or waiting participant can be removed."), "error")
        return redirect(back)
    if registration.activity.is_over:
        flash(_("This activity is over: record an absence in the attendance instead of removing a participant."),
              "error")
        return redirect(back)
    title = _("Remove %(name)s from “%(title)s”?", name=registration.person.full_name,
              title=registration.activity.title)
    return render_template("confirm.html", title=title, lines=consequences.of_removal(registration),
                           form=DecisionForm(), back=back, confirm_label=_("Yes, remove"),
                           action=url_for("scheduling_admin.remove", registration_id=registration.id))


@bp.post("/registrations/<int:registration_id>/remove")
@trainers_only
def remove(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.remove(registration, form.message.data or "")
    except services.SchedulingError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s is removed and told by email.", name=registration.person.full_name), "success")
    return redirect(url_for("scheduling_admin.overview", activity_id=registration.activity_id))


def _session_or_404(session_id: int) -> ActivitySession:
    return db.get_or_404(ActivitySession, session_id)


def _marks(form) -> dict[int, AttendanceStatus]:
    """The marks posted (`mark-<registration id>`): one page of the sheet; a value that is not a mark is refused."""
    marks = {}
    for key, value in form.items():
        if key.startswith("mark-") and value:
            registration_id = key.removeprefix("mark-")
            if not registration_id.isdigit() or value not in {s.value for s in AttendanceStatus}:
                abort(400)
            marks[int(registration_id)] = AttendanceStatus(value)
    return marks


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@trainers_only
def attendance(session_id: int):
    session = _session_or_404(session_id)
    form = SimpleActionForm()
    page_number = int_arg("page", 1)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.record_attendance(session, _marks(request.form))
        except services.SchedulingError as error:
            flash(str(error), "error")
        else:
            flash(_("Attendance is saved."), "success")
        return redirect(url_for("scheduling_admin.attendance", session_id=session.id,
                                page=page_number if page_number > 1 else None))
    participants = db.paginate(rosters.confirmed_statement(session.activity), page=page_number,
                               per_page=_roster_page_size(), error_out=False)
    current = {a.registration_id: a.status.value for r in participants.items for a in r.attendance
               if a.session_id == session.id}
    return render_template("scheduling_admin/attendance.html", session=session, activity=session.activity,
                           participants=participants, current=current, form=form,
                           not_yet=services.attendance_problem(session))


@bp.get("/sessions/<int:session_id>/sign-in-sheet")
@trainers_only
def sign_in_sheet(session_id: int):
    session = _session_or_404(session_id)
    participants = db.paginate(rosters.confirmed_statement(session.activity), per_page=_roster_page_size(),
                               error_out=False)
    return render_template("scheduling_admin/sign_in_sheet.html", session=session, activity=session.activity,
                           participants=participants)


def _download(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/activities/<int:activity_id>/participants.csv")
@trainers_only
def export_csv(activity_id: int):
    activity = _activity_or_404(activity_id)
    words = rosters.export_words()
    locale = Locale.parse(words.locale)  # parsed once, not once per figure
    rows = rosters.export_rows(db.engine, activity.id, words, number=lambda value: format_decimal(value, locale=locale))
    return Response(csv_stream(words.header, rows), mimetype="text/csv",
                    headers=_download(f"participants-{activity.id}.csv"))


@bp.get("/activities/<int:activity_id>/participants.xlsx")
@trainers_only
def export_xlsx(activity_id: int):
    activity = _activity_or_404(activity_id)
    words = rosters.export_words()
    body = xlsx_stream(words.header, rosters.export_rows(db.engine, activity.id, words), title=_("Participants"),
                       widths=rosters.EXPORT_WIDTHS)
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers=_download(f"participants-{activity.id}.xlsx"))


@bp.get("/programmes")
@trainers_only
def programmes():
    items = db.session.scalars(select(Programme).options(selectinload(Programme.partners))
                               .order_by(Programme.starts_on.desc(), Programme.title)).all()
    return render_template("scheduling_admin/programmes.html", programmes=items)


def _programme_choices(form: ProgrammeForm) -> None:
    locale = str(get_locale())
    parliaments = by_name(db.session.scalars(select(Parliament)), locale)
    form.partner_ids.choices = options([(p.id, p.name(locale)) for p in parliaments if p.receives_assistance])
    form.consortium_ids.choices = options([(p.id, p.name(locale)) for p in parliaments if p.gives_assistance])


def _programme_input(form: ProgrammeForm) -> programmes_service.ProgrammeInput:
    return programmes_service.ProgrammeInput(
        title=form.title.data, slug=form.slug.data, kind=ProgrammeKind(form.kind.data),
        status=ProgrammeStatus(form.status.data), funders=tuple((form.funders.data or "").split(",")),
        starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        women_target_percent=form.women_target_percent.data,
        opposition_target_percent=form.opposition_target_percent.data,
        partner_ids=tuple(form.partner_ids.data), consortium_ids=tuple(form.consortium_ids.data))


def _save_programme(form: ProgrammeForm, programme: Programme | None) -> bool:
    try:
        programmes_service.save_programme(_programme_input(form), programme)
    except programmes_service.ProgrammeError as error:
        show_error(form, error)
        return False
    return True


@bp.route("/programmes/new", methods=["GET", "POST"])
@trainers_only
def create_programme():
    form = ProgrammeForm()
    _programme_choices(form)
    if form.validate_on_submit() and _save_programme(form, None):
        flash(_("The programme is saved."), "success")
        return redirect(url_for("scheduling_admin.programmes"))
    return render_template("scheduling_admin/programme_form.html", form=form, programme=None)


@bp.route("/programmes/<int:programme_id>", methods=["GET", "POST"])
@trainers_only
def edit_programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = ProgrammeForm(obj=programme)
    _programme_choices(form)
    if request.method == "GET":
        form.partner_ids.data = [p.id for p in programme.partners]
        form.consortium_ids.data = [p.id for p in programme.consortium]
        form.funders.data = ", ".join(programme.funders)
        form.kind.data, form.status.data = programme.kind.value, programme.status.value
    if form.validate_on_submit() and _save_programme(form, programme):
        flash(_("Changes are saved."), "success")
        return redirect(url_for("scheduling_admin.programmes"))
    return render_template("scheduling_admin/programme_form.html", form=form, programme=programme)
