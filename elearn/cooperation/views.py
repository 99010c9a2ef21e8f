"""Pages shared by focal points (their own parliament only) and trainers: requests, follow-up, parliaments."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from elearn.access import Role, roles_required
from elearn.cooperation import services
from elearn.cooperation.forms import (
    CommitmentForm,
    LinksForm,
    ProgressForm,
    RequestForm,
    ScheduleReviewForm,
    TriageForm,
)
from elearn.cooperation.models import (
    ActionPlan,
    Commitment,
    CommitmentStatus,
    NeedsRequest,
    RequestStatus,
    SupportKind,
)
from elearn.cooperation.queries import answer_candidates
from elearn.database import utcnow
from elearn.extensions import db
from elearn.forms import options
from elearn.i18n import by_name
from elearn.languages import CONTENT_LANGUAGES
from elearn.params import int_arg
from elearn.people.models import Parliament, Person
from elearn.reports.charts import Bar, bar_chart
from elearn.reports.facts import ReportFilters
from elearn.reports.report import by_year
from elearn.scheduling.models import (
    Activity,
    ActivityStatus,
    Audience,
    Modality,
    Programme,
    Registration,
    activity_invited_parliament,
)
from elearn.scheduling.queries import LISTED_STATUSES
from elearn.topics import Topic

bp = Blueprint("cooperation", __name__, url_prefix="/cooperation")
partners_and_trainers = roles_required(Role.FOCAL_POINT, Role.TRAINER)


# Globals, so that mail templates and imported macros see them too.
bp.add_app_template_global(services.request_status_label, "request_status_label")
bp.add_app_template_global(services.equipment_explanation, "equipment_explanation")


@bp.app_template_global()
def cooperation_dashboard() -> services.Dashboard:
    return services.dashboard_for(current_user._get_current_object())


def _me():
    return current_user._get_current_object()


def _visible_or_404(parliament_id: int | None) -> None:
    """Someone else's parliament does not exist, as far as a focal point knows."""
    if not services.may_see_parliament(_me(), parliament_id):
        abort(404)


def labels() -> dict:
    """Labels the request and plan pages show (commitments' labels are template globals)."""
    return {"status_labels": RequestStatus.labels(), "language_labels": CONTENT_LANGUAGES}


# Requests ------------------------------------------------------------------------------

@bp.get("/requests")
@partners_and_trainers
def requests():
    me = _me()
    statement = services.scoped(select(NeedsRequest), NeedsRequest.parliament_id, me).options(
        selectinload(NeedsRequest.parliament))
    status = request.args.get("status", "")
    if status in {s.value for s in RequestStatus}:
        statement = statement.where(NeedsRequest.status == RequestStatus(status))
    parliament_id = int_arg("parliament")
    if parliament_id and services.sees_every_parliament(me):
        statement = statement.where(NeedsRequest.parliament_id == parliament_id)
    page = db.paginate(statement.order_by(NeedsRequest.created_at.desc(), NeedsRequest.id.desc()),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    parliaments = by_name(db.session.scalars(select(Parliament).where(Parliament.receives_assistance.is_(True)))
                          .all()) if services.sees_every_parliament(me) else []
    return render_template("cooperation/requests.html", page=page, status=status, parliament_id=parliament_id,
                           parliaments=parliaments, trainer=services.sees_every_parliament(me),
                           args={k: v for k, v in request.args.items() if k != "page" and v}, **labels())


def _request_form() -> RequestForm:
    me = _me()
    locale = str(get_locale())
    form = RequestForm()
    if services.sees_every_parliament(me):
        parliaments = by_name(db.session.scalars(select(Parliament).where(Parliament.receives_assistance.is_(True)))
                              .all(), locale)
    else:
        parliaments = [me.parliament] if me.parliament else []
    form.parliament_id.choices = options([(p.id, p.name(locale)) for p in parliaments])
    form.topic_ids.choices = options([(t.id, t.name(locale))
                                      for t in by_name(db.session.scalars(select(Topic)).all(), locale)])
    return form


@bp.route("/requests/new", methods=["GET", "POST"])
@partners_and_trainers
def new_request():
    form = _request_form()
    if request.method == "GET" and not form.language.data:
        form.language.data = _me().preferred_language
    if form.validate_on_submit():
        data = services.RequestInput(
            parliament_id=form.parliament_id.data, kind=SupportKind(form.kind.data), title=form.title.data,
            need=form.need.data, audience=Audience(form.audience.data), topic_ids=tuple(form.topic_ids.data),
            services=form.services.data or "",
            preferred_modality=Modality(form.preferred_modality.data) if form.preferred_modality.data else None,
            preferred_from=form.preferred_from.data, preferred_to=form.preferred_to.data,
            language=form.language.data)
        try:
            needs_request = services.submit_request(data, _me())
        except services.CooperationError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The request is sent. The focal points of the parliament are told by mail of each step."),
                  "success")
            if needs_request.outside_funding:
                flash(services.equipment_explanation(), "warning")
            return redirect(url_for("cooperation.request_detail", request_id=needs_request.id))
    return render_template("cooperation/request_form.html", form=form)


def request_or_404(request_id: int) -> NeedsRequest:
    needs_request = db.get_or_404(NeedsRequest, request_id)
    _visible_or_404(needs_request.parliament_id)
    return needs_request


def activity_choices(needs_request: NeedsRequest) -> list:
    """A short choice of activities that may answer a request (see queries.answer_candidates): those linked, of
    the request's parliament or programme, to come, or found by the page's `activity_q` search."""
    posted = tuple(int(v) for key in ("activity_ids", "links-activity_ids")
                   for v in request.form.getlist(key) if v.isdigit())
    activities = answer_candidates(needs_request, request.args.get("activity_q", ""), posted)
    return options([(a.id, _activity_choice_label(a)) for a in activities])


def _activity_choice_label(activity: Activity) -> str:
    """Title and first day; a draft or a cancelled activity says so, since a focal point will not see it."""
    day = format_date(activity.starts_at, "medium") if activity.starts_at else "—"
    if activity.status in (ActivityStatus.DRAFT, ActivityStatus.CANCELLED):
        return _("%(title)s (%(day)s, %(status)s)", title=activity.title, day=day, status=activity.status.label)
    return f"{activity.title} ({day})"


def programme_choices() -> list:
    return options([("", _("None"))] + [(str(p.id), p.title) for p in db.session.scalars(
        select(Programme).order_by(Programme.title))])


@bp.get("/requests/<int:request_id>")
@partners_and_trainers
def request_detail(request_id: int):
    needs_request = request_or_404(request_id)
    triage_form = links_form = None
    trainer = services.sees_every_parliament(_me())
    if trainer:
        triage_form, links_form = triage_forms(needs_request)
    return render_template("cooperation/request.html", item=needs_request, triage_form=triage_form,
                           links_form=links_form, answers=answering_activities(needs_request, trainer),
                           trainer_view=trainer, activity_q=request.args.get("activity_q", "")[:100], **labels())


def answering_activities(needs_request: NeedsRequest, trainer: bool) -> list[Activity]:
    """The activities linked to a request that the reader may see: for a focal point, what the public listing shows."""
    if trainer:
        return list(needs_request.activities)
    return [activity for activity in needs_request.activities if activity.status in LISTED_STATUSES]


def triage_forms(needs_request: NeedsRequest, triage_form: TriageForm | None = None,
                 links_form: LinksForm | None = None) -> tuple[TriageForm | None, LinksForm | None]:
    """The trainer's forms for this request, holding what is stored unless given filled in."""
    next_states = services.TRANSITIONS[needs_request.status]
    if not next_states:
        triage_form = None  # settled: nothing left to decide
    elif triage_form is None:
        triage_form = TriageForm(formdata=None, programme_id=str(needs_request.programme_id or ""),
                                 activity_ids=[a.id for a in needs_request.activities])
    if triage_form is not None:
        triage_form.status.choices = options([(s.value, s.label) for s in next_states])
        triage_form.programme_id.choices = programme_choices()
        triage_form.activity_ids.choices = activity_choices(needs_request)
    if needs_request.status not in (RequestStatus.UNDER_ASSESSMENT, RequestStatus.ACCEPTED):
        links_form = None
    elif links_form is None:
        links_form = LinksForm(formdata=None, prefix="links", programme_id=str(needs_request.programme_id or ""),
                               activity_ids=[a.id for a in needs_request.activities])
    if links_form is not None:
        links_form.programme_id.choices = programme_choices()
        links_form.activity_ids.choices = activity_choices(needs_request)
    return triage_form, links_form


# Follow-up: action plans and commitments ------------------------------------------------------

@bp.get("/follow-up")
@partners_and_trainers
def plans():
    me = _me()
    statement = services.scoped(select(ActionPlan), ActionPlan.parliament_id, me).options(
        selectinload(ActionPlan.parliament), selectinload(ActionPlan.activity),
        selectinload(ActionPlan.commitments), selectinload(ActionPlan.reviews))
    parliament_id = int_arg("parliament")
    if parliament_id and services.sees_every_parliament(me):
        statement = statement.where(ActionPlan.parliament_id == parliament_id)
    page = db.paginate(statement.order_by(ActionPlan.agreed_on.desc(), ActionPlan.id.desc()),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    today = utcnow().date()
    return render_template("cooperation/plans.html", page=page, today=today,
                           overdue=services.overdue_commitments(me, today),
                           reviews=services.due_reviews(me, today), trainer=services.sees_every_parliament(me),
                           parliament_id=parliament_id, **labels())


def plan_or_404(plan_id: int) -> ActionPlan:
    plan = db.get_or_404(ActionPlan, plan_id)
    _visible_or_404(plan.parliament_id)
    return plan


def progress_form(commitment: Commitment, formdata=None) -> ProgressForm:
    # A prefix per commitment keeps the ids of the many forms on one page unique.
    if formdata is None:
        return ProgressForm(formdata=None, prefix=f"c{commitment.id}", status=commitment.status.value,
                            progress_note=commitment.progress_note)
    return ProgressForm(prefix=f"c{commitment.id}")


@bp.get("/action-plans/<int:plan_id>")
@partners_and_trainers
def plan(plan_id: int):
    action_plan = plan_or_404(plan_id)
    return render_plan(action_plan)


def render_plan(action_plan: ActionPlan, *, failed: ProgressForm | None = None, failed_id: int | None = None,
                commitment_form: CommitmentForm | None = None, review_form: ScheduleReviewForm | None = None):
    forms = {c.id: failed if c.id == failed_id else progress_form(c) for c in action_plan.commitments}
    return render_template("cooperation/plan.html", plan=action_plan, progress_forms=forms, today=utcnow().date(),
                           trainer=services.sees_every_parliament(_me()),
                           commitment_form=commitment_form or CommitmentForm(formdata=None),
                           review_form=review_form or ScheduleReviewForm(formdata=None), **labels())


@bp.post("/commitments/<int:commitment_id>")
@partners_and_trainers
def update_commitment(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    _visible_or_404(commitment.plan.parliament_id)
    form = progress_form(commitment, formdata=request.form)
    if not form.validate_on_submit():
        return render_plan(commitment.plan, failed=form, failed_id=commitment.id)
    services.update_commitment(commitment, CommitmentStatus(form.status.data), form.progress_note.data or "", _me())
    flash(_("The progress is saved."), "success")
    return redirect(url_for("cooperation.plan", plan_id=commitment.plan_id, _anchor=f"commitment-{commitment.id}"))


# A parliament's page --------------------------------------------------------------------------

RECENT = 20


@bp.get("/parliaments/<int:parliament_id>")
@partners_and_trainers
def parliament(parliament_id: int):
    _visible_or_404(parliament_id)
    item = db.get_or_404(Parliament, parliament_id)
    requests_ = db.session.scalars(select(NeedsRequest).where(NeedsRequest.parliament_id == item.id)
                                   .order_by(NeedsRequest.created_at.desc())).all()
    programmes = db.session.scalars(select(Programme).where(Programme.partners.any(Parliament.id == item.id))
                                    .order_by(Programme.starts_on.desc(), Programme.title)).all()
    registered = select(Registration.activity_id).join(Person, Person.id == Registration.person_id).where(
        Person.parliament_id == item.id)
    invited = select(activity_invited_parliament.c.activity_id).where(
        activity_invited_parliament.c.parliament_id == item.id)
    involved = or_(Activity.host_parliament_id == item.id, Activity.id.in_(registered), Activity.id.in_(invited))
    shown = select(Activity).where(involved, Activity.starts_at.is_not(None))
    if not services.sees_every_parliament(_me()):
        shown = shown.where(Activity.status.in_(LISTED_STATUSES))  # what the public listing shows: no drafts
    activities = db.session.scalars(shown.order_by(Activity.starts_at.desc()).limit(RECENT)).all()
    years = by_year(ReportFilters(parliament_id=item.id))
    women = {row.key: row.figures.women for row in years}
    chart = bar_chart("chart-years", _("Participations by year"),
                      _("Bar chart of the participations of this parliament's people each year; the table below "
                        "gives every figure."),
                      [Bar(row.label, row.figures.participations, str(row.figures.participations)) for row in years])
    return render_template(
        "cooperation/parliament.html", parliament=item, requests=requests_, programmes=programmes,
        activities=activities, years=years, women=women, chart=chart,
        open_commitments=services.open_commitments(item.id), today=utcnow().date(),
        trainer=services.sees_every_parliament(_me()), **labels())
