"""Calls for applications: opening or editing a call, who may apply, applying and proposing. No HTTP here."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.access import Role, has_role
from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.database import utcnow
from elearn.delegations.calls_models import (
    Application,
    ApplicationStatus,
    Call,
    CallQuestion,
    SelectionTarget,
    StandardQuestion,
)
from elearn.errors import UserError
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling import services as scheduling
from elearn.scheduling.models import Activity, ActivityStatus, Audience, Programme

ANSWER_MAX = 4000


class CallError(UserError):
    """A call, an application or a decision refused; `field` names the form field at fault."""


@dataclass(frozen=True)
class CallInput:
    opens_at: datetime
    deadline: datetime
    intro: str = ""
    standard_questions: tuple[str, ...] = ()
    custom_questions: tuple[str, ...] = ()  # one text per question, in order


@dataclass(frozen=True)
class TargetInput:
    women_min_percent: int | None = None
    max_per_parliament: int | None = None
    both_sides_required: bool = False
    opposition_min_percent: int | None = None


def own_target(activity_id: int) -> SelectionTarget | None:
    return db.session.scalar(select(SelectionTarget).where(SelectionTarget.activity_id == activity_id))


def call_of(activity_id: int) -> Call | None:
    return db.session.scalar(select(Call).where(Call.activity_id == activity_id))


def _check_call(activity: Activity, data: CallInput) -> None:
    if data.deadline <= data.opens_at:
        raise CallError(_("The deadline must come after the opening."), "deadline")
    if activity.starts_at and data.deadline > activity.starts_at:
        raise CallError(_("The deadline must come before the activity starts."), "deadline")
    unknown = set(data.standard_questions) - set(StandardQuestion._value2member_map_)
    if unknown:
        raise CallError(_("Unknown question."), "standard_questions")
    for text in data.custom_questions:
        if len(text) > 300:
            raise CallError(_("A question is 300 characters at most."), "custom_questions")


def _set_questions(call: Call, texts: tuple[str, ...]) -> None:
    """Keep the questions whose text is unchanged (their answers keep their key), add the new ones."""
    kept = {question.text: question for question in call.questions}
    call.questions = []
    for position, text in enumerate(dict.fromkeys(t.strip() for t in texts if t.strip())):
        question = kept.get(text) or CallQuestion(text=text)
        question.position = position
        call.questions.append(question)


def save_call(activity: Activity, data: CallInput, target: TargetInput, *, actor) -> Call:
    """Open the activity's call or change it, with the activity's selection targets; committed."""
    _check_call(activity, data)
    _check_target(target)
    call = call_of(activity.id)
    created = call is None
    if created:
        call = Call(activity=activity)
        db.session.add(call)
    call.opens_at, call.deadline, call.intro = data.opens_at, data.deadline, data.intro.strip()
    call.standard_questions = [q for q in StandardQuestion._value2member_map_ if q in data.standard_questions]
    call.updated_at = utcnow()
    _set_questions(call, data.custom_questions)
    _save_target(activity, target)
    db.session.flush()
    audit(AuditAction.CALL_SAVED, actor=actor, object_type="call", object_id=call.id,
          details={"activity_id": activity.id, "created": created})
    db.session.commit()
    return call


def _check_target(target: TargetInput) -> None:
    for name in ("women_min_percent", "opposition_min_percent"):
        value = getattr(target, name)
        if value is not None and not 0 <= value <= 100:
            raise CallError(_("A share is between 0 and 100 %."), name)
    if target.max_per_parliament is not None and target.max_per_parliament < 1:
        raise CallError(_("At least one seat per parliament."), "max_per_parliament")


def _save_target(activity: Activity, target: TargetInput) -> None:
    _put_target(SelectionTarget.activity_id, activity, target)


def _put_target(column, owner: Activity | Programme, target: TargetInput) -> None:
    """The opposition share goes to the activity's or programme's own column, the one nominations read too."""
    owner.opposition_target_percent = target.opposition_min_percent
    target = replace(target, opposition_min_percent=None)
    row = db.session.scalar(select(SelectionTarget).where(column == owner.id))
    if target == TargetInput():  # no target of its own: the programme's apply, if any
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = SelectionTarget(**{column.key: owner.id})
        db.session.add(row)
    row.women_min_percent, row.max_per_parliament = target.women_min_percent, target.max_per_parliament
    row.both_sides_required = target.both_sides_required


def programme_target(programme_id: int) -> SelectionTarget | None:
    return db.session.scalar(select(SelectionTarget).where(SelectionTarget.programme_id == programme_id))


def save_programme_target(programme: Programme, target: TargetInput) -> None:
    """The targets of every activity of the programme that sets none of its own; committed."""
    _check_target(target)
    _put_target(SelectionTarget.programme_id, programme, target)
    db.session.commit()


def application_problem(call: Call, person: Person, now: datetime | None = None) -> str | None:
    """Why `person` may not apply to `call` now, or None: the call's dates, then the activity's audience and guests."""
    now = now or utcnow()
    activity = call.activity
    if activity.status != ActivityStatus.PUBLISHED or activity.is_over:
        return _("This activity no longer takes applications.")
    if now < call.opens_at:
        return _("Applications open on %(when)s.", when=format_datetime(call.opens_at, "short"))
    if now >= call.deadline:
        return _("The deadline for applications was %(when)s: applications are closed.",
                 when=format_datetime(call.deadline, "short"))
    if not scheduling.fits_audience(activity, person):
        return (_("This activity is for members of parliament.") if activity.audience == Audience.MPS
                else _("This activity is for parliamentary staff."))
    invited = {p.id for p in activity.invited_parliaments}
    if invited and person.parliament_id not in invited:
        return _("This parliament is not invited to this activity.")
    return None


def questions(call: Call) -> list[tuple[str, str]]:
    """(key, text) of every question the call asks, in order: the standard ones, then its own."""
    return [(q.value, str(q.label)) for q in call.asked] + [(q.key, q.text) for q in call.questions]


def _clean_answers(call: Call, answers: dict[str, str]) -> dict[str, str]:
    asked = dict(questions(call))
    for key in answers:
        if key not in asked:  # a question of another call, or one removed since the form was shown
            raise CallError(_("This question is not part of this call."), key)
    cleaned = {}
    for key in asked:
        text = (answers.get(key) or "").strip()
        if not text:
            raise CallError(_("Please answer this question."), key)
        if len(text) > ANSWER_MAX:
            raise CallError(_("An answer is %(n)d characters at most.", n=ANSWER_MAX), key)
        cleaned[key] = text
    return cleaned


def existing(call: Call, person: Person) -> Application | None:
    return db.session.scalar(select(Application).where(Application.call_id == call.id,
                                                       Application.person_id == person.id))


def apply(call: Call, person: Person, answers: dict[str, str], *, proposed_by: Person | None = None,
          now: datetime | None = None) -> Application:
    """Record an application (by the candidate, or proposed by their focal point); committed."""
    if proposed_by is not None:
        if not has_role(proposed_by, Role.FOCAL_POINT) or proposed_by.parliament_id is None:
            raise CallError(_("Only a focal point can propose people."))
        if person.parliament_id != proposed_by.parliament_id:
            raise CallError(_("You can propose only people of your own parliament."))
    problem = application_problem(call, person, now)
    if problem:
        raise CallError(problem)
    if existing(call, person) is not None:
        raise CallError(_("%(name)s has already applied to this call.", name=person.full_name))
    application = Application(call=call, person=person, proposed_by=proposed_by,
                              answers=_clean_answers(call, answers), status=ApplicationStatus.SUBMITTED)
    db.session.add(application)
    try:
        db.session.commit()
    except IntegrityError:  # the same person applied at the same moment from elsewhere
        db.session.rollback()
        raise CallError(_("%(name)s has already applied to this call.", name=person.full_name)) from None
    return application


def withdraw(application: Application) -> None:
    """The candidate takes back an application not yet selected; committed."""
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED):
        raise CallError(_("Only an application not yet decided or on the waiting list can be withdrawn."))
    application.status = ApplicationStatus.WITHDRAWN
    application.updated_at = utcnow()
    db.session.commit()
