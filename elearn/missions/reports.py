"""Mission reports: the head of mission writes findings and recommendations, a manager validates, and each
validated recommendation is turned once into a needs request, a commitment or a proposed programme.

The report can be written from the moment the mission's first session has begun (findings are gathered on
the spot). The note a manager writes when sending a report back lives in the audit event of that step (no
column for it): the report page shows the latest one while the report is a draft again.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from elearn.access import Role, has_role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.audit.services import record
from elearn.content import render_markdown
from elearn.cooperation import services as cooperation
from elearn.cooperation.models import ActionPlan, Commitment, CommitmentOwner, SupportKind
from elearn.database import utcnow
from elearn.delegations.managers import may_manage
from elearn.errors import UserError
from elearn.extensions import db
from elearn.missions.models import MissionTeamMember, TeamRole
from elearn.missions.report_models import MissionReport, Priority, Recommendation, ReportStatus
from elearn.people.models import Person
from elearn.scheduling.models import MISSION_MODALITIES, Activity, ActivityStatus, ProgrammeKind, ProgrammeStatus
from elearn.scheduling.programmes import ProgrammeError, ProgrammeInput, save_programme

MAX_FINDINGS = 50_000
MAX_RECOMMENDATION = 4_000
MAX_NOTE = 2_000
OUTCOMES = ("needs_request", "commitment", "programme")


class ReportError(UserError):
    """A change to a report that its rules refuse; the message is for the user."""


def is_mission(activity: Activity | None) -> bool:
    return activity is not None and activity.modality in MISSION_MODALITIES


def head_of(activity: Activity) -> Person | None:
    return db.session.scalar(select(Person).join(MissionTeamMember, MissionTeamMember.person_id == Person.id).where(
        MissionTeamMember.activity_id == activity.id, MissionTeamMember.role == TeamRole.HEAD)
        .order_by(MissionTeamMember.id).limit(1))


def is_head(person, activity: Activity) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    return db.session.scalar(select(MissionTeamMember.id).where(
        MissionTeamMember.activity_id == activity.id, MissionTeamMember.person_id == person.id,
        MissionTeamMember.role == TeamRole.HEAD)) is not None


def is_team_member(person, activity: Activity) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    return db.session.scalar(select(MissionTeamMember.id).where(
        MissionTeamMember.activity_id == activity.id, MissionTeamMember.person_id == person.id)) is not None


def is_host_focal_point(person, activity: Activity) -> bool:
    return (has_role(person, Role.FOCAL_POINT) and not has_role(person, Role.TRAINER)
            and person.parliament_id is not None and person.parliament_id == activity.host_parliament_id)


def report_for(activity: Activity) -> MissionReport | None:
    return db.session.scalar(select(MissionReport).where(MissionReport.activity_id == activity.id))


def report_with_outcomes(activity: Activity) -> MissionReport | None:
    """The report for its page: recommendations and what they led to in a fixed number of statements."""
    return db.session.scalar(select(MissionReport).where(MissionReport.activity_id == activity.id).options(
        selectinload(MissionReport.recommendations).options(
            joinedload(Recommendation.needs_request), joinedload(Recommendation.programme),
            joinedload(Recommendation.commitment).joinedload(Commitment.plan).joinedload(ActionPlan.activity))))


def may_view(person, activity: Activity, report: MissionReport | None) -> bool:
    """Managers and the team always; the host parliament's focal point once the report is validated."""
    if not is_mission(activity) or not getattr(person, "is_authenticated", False):
        return False
    if may_manage(person, activity) or is_team_member(person, activity):
        return True
    return (report is not None and report.status == ReportStatus.VALIDATED
            and is_host_focal_point(person, activity))


def has_started(activity: Activity) -> bool:
    return activity.starts_at is not None and activity.starts_at <= utcnow()


def may_write(person, activity: Activity, report: MissionReport | None) -> bool:
    return (is_mission(activity) and activity.status != ActivityStatus.CANCELLED and has_started(activity)
            and (report is None or report.status == ReportStatus.DRAFT) and is_head(person, activity))


def _draft(activity: Activity, actor: Person) -> MissionReport:
    report = report_for(activity)
    if not is_head(actor, activity):
        raise ReportError(_("Only the head of mission writes the report."))
    if not has_started(activity) or activity.status == ActivityStatus.CANCELLED:
        raise ReportError(_("The report can be written once the mission has begun."))
    if report is not None and report.status != ReportStatus.DRAFT:
        raise ReportError(_("This report has been submitted: it can no longer be changed."))
    if report is None:
        report = MissionReport(activity_id=activity.id, author_id=actor.id, status=ReportStatus.DRAFT)
        db.session.add(report)
        db.session.flush()
    report.author_id = actor.id
    report.updated_at = utcnow()
    return report


def _fail(message: str):
    db.session.rollback()
    raise ReportError(message)


def save_findings(activity: Activity, actor: Person, markdown: str) -> MissionReport:
    if len(markdown) > MAX_FINDINGS:
        raise ReportError(_("The findings are too long."), field="findings")
    try:
        report = _draft(activity, actor)
    except ReportError:
        db.session.rollback()
        raise
    report.findings_md = markdown.strip()
    report.findings_html = render_markdown(report.findings_md)
    db.session.commit()
    return report


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ReportError(_("Write the recommendation."), field="text")
    if len(text) > MAX_RECOMMENDATION:
        raise ReportError(_("The recommendation is too long."), field="text")
    return text


def add_recommendation(activity: Activity, actor: Person, text: str, priority: Priority) -> Recommendation:
    text = _clean_text(text)
    try:
        report = _draft(activity, actor)
    except ReportError:
        db.session.rollback()
        raise
    last = db.session.scalar(select(func.max(Recommendation.position)).where(Recommendation.report_id == report.id))
    recommendation = Recommendation(report_id=report.id, position=(last or 0) + 1, text=text,
                                    priority=Priority(priority))
    db.session.add(recommendation)
    db.session.commit()
    return recommendation


def _own_draft_recommendation(recommendation: Recommendation, actor: Person) -> MissionReport:
    try:
        return _draft(recommendation.report.activity, actor)
    except ReportError:
        db.session.rollback()
        raise


def edit_recommendation(recommendation: Recommendation, actor: Person, text: str, priority: Priority) -> None:
    text = _clean_text(text)
    _own_draft_recommendation(recommendation, actor)
    recommendation.text, recommendation.priority = text, Priority(priority)
    db.session.commit()


def remove_recommendation(recommendation: Recommendation, actor: Person) -> None:
    report = _own_draft_recommendation(recommendation, actor)
    removed = recommendation.position
    db.session.delete(recommendation)
    db.session.flush()
    # One row at a time, in order: each moves into the place just freed (the positions are unique).
    for later in db.session.scalars(select(Recommendation).where(
            Recommendation.report_id == report.id, Recommendation.position > removed)
            .order_by(Recommendation.position)):
        later.position -= 1
        db.session.flush()
    db.session.commit()


def move_recommendation(recommendation: Recommendation, actor: Person, up: bool) -> None:
    report = _own_draft_recommendation(recommendation, actor)
    target = recommendation.position + (-1 if up else 1)
    other = db.session.scalar(select(Recommendation).where(Recommendation.report_id == report.id,
                                                           Recommendation.position == target))
    if other is None:
        db.session.rollback()
        return
    # Through a free position: the pair (report, position) is unique at every flush.
    other.position = 0
    db.session.flush()
    recommendation.position, old = target, recommendation.position
    db.session.flush()
    other.position = old
    db.session.commit()


def submit(activity: Activity, actor: Person) -> MissionReport:
    report = report_for(activity)
    if report is None or report.status != ReportStatus.DRAFT:
        _fail(_("There is no draft report to submit."))
    if not is_head(actor, activity):
        _fail(_("Only the head of mission submits the report."))
    if not report.findings_md.strip() or not report.recommendations:
        _fail(_("Write the findings and at least one recommendation before submitting."))
    report.status, report.submitted_at, report.updated_at = ReportStatus.SUBMITTED, utcnow(), utcnow()
    record(AuditAction.MISSION_REPORT_SUBMITTED, actor=actor, object_type="mission_report", object_id=report.id,
           details={"activity_id": activity.id})
    db.session.commit()
    return report


def _submitted(activity: Activity, actor: Person) -> MissionReport:
    report = report_for(activity)
    if not may_manage(actor, activity):
        _fail(_("Only the mission's trainers or an administrator may do this."))
    if report is None or report.status != ReportStatus.SUBMITTED:
        _fail(_("The report has not been submitted."))
    return report


def validate(activity: Activity, actor: Person) -> MissionReport:
    report = _submitted(activity, actor)
    report.status, report.validated_at, report.validated_by_id = ReportStatus.VALIDATED, utcnow(), actor.id
    report.updated_at = utcnow()
    record(AuditAction.MISSION_REPORT_VALIDATED, actor=actor, object_type="mission_report", object_id=report.id,
           details={"activity_id": activity.id})
    db.session.commit()
    return report


def send_back(activity: Activity, actor: Person, note: str) -> MissionReport:
    note = (note or "").strip()
    if not note:
        raise ReportError(_("Say what the head of mission should change."), field="note")
    if len(note) > MAX_NOTE:
        raise ReportError(_("The note is too long."), field="note")
    report = _submitted(activity, actor)
    report.status, report.submitted_at, report.updated_at = ReportStatus.DRAFT, None, utcnow()
    record(AuditAction.MISSION_REPORT_RETURNED, actor=actor, object_type="mission_report", object_id=report.id,
           details={"activity_id": activity.id, "note": note})
    db.session.commit()
    return report


def return_note(report: MissionReport | None) -> AuditEvent | None:
    """The latest sending back, while the report is a draft again (its note is in `details["note"]`)."""
    if report is None or report.status != ReportStatus.DRAFT:
        return None
    return db.session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "mission_report", AuditEvent.object_id == report.id,
        AuditEvent.action == AuditAction.MISSION_REPORT_RETURNED).order_by(AuditEvent.id.desc()).limit(1))


# Conversions ----------------------------------------------------------------------------------------------

def plans_for(activity: Activity) -> list[ActionPlan]:
    """The host parliament's action plans, newest first: where a commitment may go."""
    if activity.host_parliament_id is None:
        return []
    return list(db.session.scalars(select(ActionPlan).where(ActionPlan.parliament_id == activity.host_parliament_id)
                                   .order_by(ActionPlan.agreed_on.desc(), ActionPlan.id.desc())))


def short_title(text: str, limit: int = 200) -> str:
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    return first if len(first) <= limit else first[:limit - 1].rstrip() + "…"


def _claim(recommendation: Recommendation, actor: Person) -> Activity:
    """Check the rules, then mark the recommendation converted in this transaction: a second click, even
    a concurrent one, finds it taken (the conditional UPDATE waits for the first one's row lock)."""
    report = recommendation.report
    activity = report.activity
    if not may_manage(actor, activity):
        _fail(_("Only the mission's trainers or an administrator may do this."))
    if report.status != ReportStatus.VALIDATED:
        _fail(_("Recommendations are acted upon once the report is validated."))
    if activity.host_parliament_id is None:
        _fail(_("The mission has no host parliament."))
    claimed = db.session.execute(
        update(Recommendation).where(Recommendation.id == recommendation.id, Recommendation.converted_at.is_(None))
        .values(converted_at=utcnow(), converted_by_id=actor.id).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        _fail(_("This recommendation has already been acted upon."))
    return activity


def _audit(recommendation: Recommendation, actor: Person, outcome: str, object_id: int) -> None:
    record(AuditAction.RECOMMENDATION_CONVERTED, actor=actor, object_type="recommendation",
           object_id=recommendation.id, details={"outcome": outcome, "id": object_id,
                                                 "activity_id": recommendation.report.activity_id})


def _source_line(recommendation: Recommendation, activity: Activity) -> str:
    return _("From recommendation %(number)d of the mission “%(mission)s”.", number=recommendation.position,
             mission=activity.title)


def convert_to_request(recommendation: Recommendation, actor: Person):
    """A request for advice of the host parliament, received (triaged as any other), linked to the mission."""
    activity = _claim(recommendation, actor)
    try:
        needs_request = cooperation.submit_request(cooperation.RequestInput(
            parliament_id=activity.host_parliament_id, kind=SupportKind.ADVICE, title=short_title(recommendation.text),
            need=f"{recommendation.text}\n\n{_source_line(recommendation, activity)}",
            audience=activity.audience, language=(activity.languages or ["en"])[0]), actor)
    except cooperation.CooperationError as error:
        _fail(str(error))
    needs_request.activities.append(activity)
    recommendation.needs_request_id = needs_request.id
    _audit(recommendation, actor, "needs_request", needs_request.id)
    db.session.commit()
    return needs_request


def convert_to_commitment(recommendation: Recommendation, actor: Person, plan_id: int, owner: CommitmentOwner,
                          due_on: date | None):
    activity = recommendation.report.activity
    plan = db.session.get(ActionPlan, plan_id) if plan_id else None
    if plan is None or plan.parliament_id != activity.host_parliament_id:
        raise ReportError(_("Choose one of the host parliament's action plans."), field="plan_id")
    if due_on is None:
        raise ReportError(_("Give the commitment a due date."), field="due_on")
    _claim(recommendation, actor)
    try:
        commitment = cooperation.add_commitment(plan, cooperation.CommitmentInput(
            description=f"{recommendation.text}\n\n{_source_line(recommendation, activity)}",
            owner=CommitmentOwner(owner), due_on=due_on), actor)
    except cooperation.CooperationError as error:
        _fail(str(error))
    recommendation.commitment_id = commitment.id
    _audit(recommendation, actor, "commitment", commitment.id)
    db.session.commit()
    return commitment


def convert_to_programme(recommendation: Recommendation, actor: Person):
    """A proposed (planned) bilateral programme with the host parliament as its partner."""
    activity = _claim(recommendation, actor)
    try:
        programme = save_programme(ProgrammeInput(
            title=short_title(recommendation.text), slug=f"mission-{activity.id}-recommendation-{recommendation.id}",
            kind=ProgrammeKind.BILATERAL, status=ProgrammeStatus.PLANNED,
            partner_ids=(activity.host_parliament_id,)))
    except ProgrammeError as error:
        _fail(str(error))
    recommendation.programme_id = programme.id
    _audit(recommendation, actor, "programme", programme.id)
    db.session.commit()
    return programme


# What came from where (the panels) --------------------------------------------------------------------------

def _recommendations(*conditions) -> list[Recommendation]:
    return list(db.session.scalars(select(Recommendation).join(MissionReport).where(*conditions)
                                   .order_by(MissionReport.activity_id, Recommendation.position)))


def from_request(request_id: int) -> list[Recommendation]:
    return _recommendations(Recommendation.needs_request_id == request_id)


def from_plan(plan_id: int) -> list[Recommendation]:
    return _recommendations(Recommendation.commitment_id.in_(select(Commitment.id).where(Commitment.plan_id == plan_id)))


def from_programme(programme_id: int) -> list[Recommendation]:
    return _recommendations(Recommendation.programme_id == programme_id)


def led_to(report: MissionReport | None) -> list[Recommendation]:
    if report is None:
        return []
    return [r for r in report.recommendations if r.needs_request_id or r.commitment_id or r.programme_id]
