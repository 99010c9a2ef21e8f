"""Trainers' actions in the cooperation cycle: triage requests, record action plans, write reviews."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from elearn.access import Role, roles_required
from elearn.cooperation import services
from elearn.cooperation.forms import (
    CommitmentForm,
    LinksForm,
    PlanForm,
    ReviewForm,
    ScheduleReviewForm,
    TriageForm,
)
from elearn.cooperation.models import (
    OPEN_COMMITMENT_STATES,
    ActionPlan,
    Commitment,
    CommitmentOwner,
    NeedsRequest,
    RequestStatus,
    Review,
)
from elearn.cooperation.views import (
    answering_activities,
    labels,
    plan_or_404,
    render_plan,
    request_or_404,
    triage_forms,
)
from elearn.database import utcnow
from elearn.extensions import db
from elearn.forms import options
from elearn.i18n import by_name
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import Activity, Registration, RegistrationState

bp = Blueprint("cooperation_admin", __name__, url_prefix="/manage/cooperation")
trainers_only = roles_required(Role.TRAINER)


def _me():
    return current_user._get_current_object()


def _ids(value) -> int | None:
    return int(value) if value else None


def _number(value) -> int | None:
    # From a button's value, which nothing validates: anything but digits is no confirmation.
    return int(value) if value and value.isdigit() else None


def _request_page(needs_request: NeedsRequest, triage_form=None, links_form=None):
    triage_form, links_form = triage_forms(needs_request, triage_form, links_form)
    return render_template("cooperation/request.html", item=needs_request, triage_form=triage_form,
                           links_form=links_form, answers=answering_activities(needs_request, trainer=True),
                           trainer_view=True, **labels())


@bp.post("/requests/<int:request_id>/status")
@trainers_only
def triage(request_id: int):
    needs_request = request_or_404(request_id)
    form, _links = triage_forms(needs_request, TriageForm())
    if form is None:
        flash(_("This request is settled; its status can no longer change."), "error")
        return redirect(url_for("cooperation.request_detail", request_id=needs_request.id))
    if form.validate_on_submit():
        try:
            services.change_status(needs_request, RequestStatus(form.status.data), actor=_me(),
                                   answer=form.answer.data or "", programme_id=_ids(form.programme_id.data),
                                   activity_ids=tuple(form.activity_ids.data),
                                   confirmed_programme_id=_number(form.confirmed_programme.data))
        except services.OutsideProgramme as warning:
            # Shown again with the warning and an "Accept anyway" button for this programme.
            form.programme_warning, form.warned_programme_id = str(warning), warning.programme_id
        except services.CooperationError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The request is now %(status)s; the focal points are told by mail.",
                    status=services.request_status_label(needs_request.status)), "success")
            return redirect(url_for("cooperation.request_detail", request_id=needs_request.id))
    return _request_page(needs_request, triage_form=form)


@bp.post("/requests/<int:request_id>/links")
@trainers_only
def link(request_id: int):
    needs_request = request_or_404(request_id)
    _triage, form = triage_forms(needs_request, links_form=LinksForm(prefix="links"))
    if form is None:
        flash(_("Link activities once the request is under assessment."), "error")
        return redirect(url_for("cooperation.request_detail", request_id=needs_request.id))
    if form.validate_on_submit():
        try:
            services.link_request(needs_request, programme_id=_ids(form.programme_id.data),
                                  activity_ids=tuple(form.activity_ids.data))
        except services.CooperationError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The programme and activities of this request are saved."), "success")
            return redirect(url_for("cooperation.request_detail", request_id=needs_request.id))
    return _request_page(needs_request, links_form=form)


# Action plans ------------------------------------------------------------------------------

def _plan_parliaments(activity: Activity) -> list[Parliament]:
    """Parliaments whose people took part, were invited, or hosted: those an action plan is agreed with."""
    registered = select(Person.parliament_id).join(Registration, Registration.person_id == Person.id).where(
        Registration.activity_id == activity.id, Registration.state == RegistrationState.CONFIRMED)
    ids = {p.id for p in activity.invited_parliaments} | set(db.session.scalars(registered))
    if activity.host_parliament_id:
        ids.add(activity.host_parliament_id)
    statement = select(Parliament).where(Parliament.receives_assistance.is_(True))
    if ids - {None}:
        statement = statement.where(Parliament.id.in_(ids - {None}))
    return by_name(db.session.scalars(statement).all())


@bp.route("/activities/<int:activity_id>/action-plans", methods=["GET", "POST"])
@trainers_only
def create_plan(activity_id: int):
    activity = db.get_or_404(Activity, activity_id)
    locale = str(get_locale())
    form = PlanForm()
    form.parliament_id.choices = options([(p.id, p.name(locale)) for p in _plan_parliaments(activity)])
    if not form.is_submitted():
        form.agreed_on.data = (activity.ends_at or utcnow()).astimezone(activity.zone).date()
    if form.validate_on_submit():
        commitments = tuple(
            services.CommitmentInput(description=row.description.data, owner=CommitmentOwner(row.owner.data),
                                     responsible=row.responsible.data or "", due_on=row.due_on.data)
            for row in (entry.form for entry in form.commitments) if not row.is_blank)
        try:
            plan = services.create_plan(services.PlanInput(
                activity_id=activity.id, parliament_id=form.parliament_id.data, agreed_on=form.agreed_on.data,
                summary=form.summary.data or "", commitments=commitments,
                review_months=tuple(form.review_months.data or ())), _me())
        except services.CooperationError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The action plan is saved; its reviews are scheduled."), "success")
            return redirect(url_for("cooperation.plan", plan_id=plan.id))
    existing = db.session.scalars(select(ActionPlan).where(ActionPlan.activity_id == activity.id)
                                  .order_by(ActionPlan.id)).all()
    return render_template("cooperation/plan_form.html", form=form, activity=activity, existing=existing,
                           **labels())


@bp.post("/action-plans/<int:plan_id>/commitments")
@trainers_only
def add_commitment(plan_id: int):
    plan = plan_or_404(plan_id)
    form = CommitmentForm()
    if form.validate_on_submit():
        try:
            services.add_commitment(plan, services.CommitmentInput(
                description=form.description.data, owner=CommitmentOwner(form.owner.data),
                responsible=form.responsible.data or "", due_on=form.due_on.data), _me())
        except services.CooperationError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The commitment is added."), "success")
            return redirect(url_for("cooperation.plan", plan_id=plan.id))
    return render_plan(plan, commitment_form=form)


@bp.post("/action-plans/<int:plan_id>/reviews")
@trainers_only
def schedule_review(plan_id: int):
    plan = plan_or_404(plan_id)
    form = ScheduleReviewForm()
    if form.validate_on_submit():
        services.schedule_review(plan, form.review_due_on.data)
        flash(_("The review is scheduled."), "success")
        return redirect(url_for("cooperation.plan", plan_id=plan.id))
    return render_plan(plan, review_form=form)


@bp.route("/reviews/<int:review_id>", methods=["GET", "POST"])
@trainers_only
def review(review_id: int):
    item = db.get_or_404(Review, review_id)
    form = ReviewForm(obj=item)
    if not form.is_submitted() and item.held_on is None:
        form.held_on.data = utcnow().date()
    if form.validate_on_submit():
        try:
            services.write_review(item, held_on=form.held_on.data, notes=form.notes.data, actor=_me())
        except services.CooperationError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The review is saved."), "success")
            return redirect(url_for("cooperation.plan", plan_id=item.plan_id))
    return render_template("cooperation/review.html", form=form, review=item, plan=item.plan,
                           today=utcnow().date(), **labels())


# Partner parliaments -------------------------------------------------------------------------

@bp.get("/parliaments")
@trainers_only
def parliaments():
    open_requests = dict(db.session.execute(
        select(NeedsRequest.parliament_id, func.count(NeedsRequest.id))
        .where(NeedsRequest.status.in_((RequestStatus.RECEIVED, RequestStatus.UNDER_ASSESSMENT)))
        .group_by(NeedsRequest.parliament_id)).all())
    open_commitments = dict(db.session.execute(
        select(ActionPlan.parliament_id, func.count(Commitment.id)).join(Commitment)
        .where(Commitment.status.in_(OPEN_COMMITMENT_STATES)).group_by(ActionPlan.parliament_id)).all())
    items = by_name(db.session.scalars(select(Parliament).where(Parliament.receives_assistance.is_(True))).all())
    return render_template("cooperation/parliaments.html", parliaments=items, open_requests=open_requests,
                           open_commitments=open_commitments)
