"""The mission report page: read by the managers, the team and (once validated) the host's focal point;
written by the head of mission while a draft; submitted, validated or sent back, and acted upon."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Role, login_required, roles_required
from elearn.delegations.managers import may_manage
from elearn.extensions import db
from elearn.forms import SimpleActionForm
from elearn.missions import reports
from elearn.missions.report_forms import CommitmentForm, FindingsForm, RecommendationForm, ReturnForm
from elearn.missions.report_models import Recommendation, ReportStatus
from elearn.scheduling.models import Activity

bp = Blueprint("mission_reports", __name__)
trainers_only = roles_required(Role.TRAINER)


def _visible_mission(activity_id: int) -> Activity:
    """The mission, if the signed-in person may read its report; else a 404 (nothing said about it)."""
    activity = db.session.get(Activity, activity_id)
    if not reports.is_mission(activity) or not reports.may_view(current_user, activity, reports.report_for(activity)):
        abort(404)
    return activity


def _recommendation(activity: Activity, recommendation_id: int) -> Recommendation:
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None or recommendation.report.activity_id != activity.id:
        abort(404)
    return recommendation


def _back(activity: Activity):
    return redirect(url_for("mission_reports.report", activity_id=activity.id))


def _checked(form) -> None:
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        raise _Invalid


class _Invalid(Exception):
    pass


def _run(activity: Activity, action, success: str | None = None):
    """Run a service; its refusal becomes a message on the report page."""
    try:
        action()
    except _Invalid:
        pass
    except reports.ReportError as error:
        flash(str(error), "error")
    else:
        if success:
            flash(success, "success")
    return _back(activity)


@bp.get("/missions/<int:activity_id>/report")
@login_required
def report(activity_id: int):
    activity = _visible_mission(activity_id)
    mission_report = reports.report_with_outcomes(activity)
    editable = reports.may_write(current_user, activity, mission_report)
    manager = may_manage(current_user, activity)
    plans = reports.plans_for(activity) if manager else []
    return render_template(
        "missions/reports/report.html", activity=activity, report=mission_report, editable=editable,
        manager=manager, head=reports.head_of(activity), started=reports.has_started(activity),
        is_head=reports.is_head(current_user, activity), statuses=ReportStatus, plans=plans,
        returned=reports.return_note(mission_report), led_to=reports.led_to(mission_report),
        findings_form=FindingsForm(findings=mission_report.findings_md if mission_report else ""),
        new_form=RecommendationForm(prefix="new"), action_form=SimpleActionForm(), return_form=ReturnForm(),
        edit_form=lambda r: RecommendationForm(prefix=f"r{r.id}", text=r.text, priority=r.priority.value),
        commitment_form=lambda r: CommitmentForm(plans, prefix=f"c{r.id}"))


@bp.post("/missions/<int:activity_id>/report/findings")
@login_required
def save_findings(activity_id: int):
    activity = _visible_mission(activity_id)
    form = FindingsForm()

    def act():
        _checked(form)
        reports.save_findings(activity, current_user, form.findings.data or "")
    return _run(activity, act, _("The findings are saved."))


@bp.post("/missions/<int:activity_id>/report/recommendations")
@login_required
def add_recommendation(activity_id: int):
    activity = _visible_mission(activity_id)
    form = RecommendationForm(prefix="new")

    def act():
        _checked(form)
        reports.add_recommendation(activity, current_user, form.text.data, form.priority.data)
    return _run(activity, act, _("The recommendation is added."))


@bp.post("/missions/<int:activity_id>/report/recommendations/<int:recommendation_id>")
@login_required
def edit_recommendation(activity_id: int, recommendation_id: int):
    activity = _visible_mission(activity_id)
    recommendation = _recommendation(activity, recommendation_id)
    form = RecommendationForm(prefix=f"r{recommendation.id}")

    def act():
        _checked(form)
        reports.edit_recommendation(recommendation, current_user, form.text.data, form.priority.data)
    return _run(activity, act, _("The recommendation is saved."))


@bp.post("/missions/<int:activity_id>/report/recommendations/<int:recommendation_id>/remove")
@login_required
def remove_recommendation(activity_id: int, recommendation_id: int):
    activity = _visible_mission(activity_id)
    recommendation = _recommendation(activity, recommendation_id)

    def act():
        _checked(SimpleActionForm())
        reports.remove_recommendation(recommendation, current_user)
    return _run(activity, act, _("The recommendation is removed."))


@bp.post("/missions/<int:activity_id>/report/recommendations/<int:recommendation_id>/move")
@login_required
def move_recommendation(activity_id: int, recommendation_id: int):
    activity = _visible_mission(activity_id)
    recommendation = _recommendation(activity, recommendation_id)

    def act():
        _checked(SimpleActionForm())
        reports.move_recommendation(recommendation, current_user, up=request.form.get("direction") == "up")
    return _run(activity, act)


@bp.post("/missions/<int:activity_id>/report/submit")
@login_required
def submit(activity_id: int):
    activity = _visible_mission(activity_id)

    def act():
        _checked(SimpleActionForm())
        reports.submit(activity, current_user)
    return _run(activity, act, _("The report is submitted for validation."))


@bp.post("/manage/missions/<int:activity_id>/report/validate")
@trainers_only
def validate(activity_id: int):
    activity = _visible_mission(activity_id)

    def act():
        _checked(SimpleActionForm())
        reports.validate(activity, current_user)
    return _run(activity, act, _("The report is validated."))


@bp.post("/manage/missions/<int:activity_id>/report/send-back")
@trainers_only
def send_back(activity_id: int):
    activity = _visible_mission(activity_id)
    form = ReturnForm()

    def act():
        _checked(form)
        reports.send_back(activity, current_user, form.note.data)
    return _run(activity, act, _("The report is back with the head of mission as a draft."))


@bp.post("/manage/missions/<int:activity_id>/report/recommendations/<int:recommendation_id>/convert")
@trainers_only
def convert(activity_id: int, recommendation_id: int):
    activity = _visible_mission(activity_id)
    recommendation = _recommendation(activity, recommendation_id)
    outcome = request.form.get("outcome", "")
    if outcome not in reports.OUTCOMES:
        abort(400)

    def act():
        if outcome == "commitment":
            form = CommitmentForm(reports.plans_for(activity), prefix=f"c{recommendation.id}")
            _checked(form)
            reports.convert_to_commitment(recommendation, current_user, form.plan_id.data, form.owner.data,
                                          form.due_on.data)
        else:
            _checked(SimpleActionForm())
            (reports.convert_to_request if outcome == "needs_request" else reports.convert_to_programme)(
                recommendation, current_user)
    return _run(activity, act, _("Done: the recommendation is linked to what it led to."))
