"""Lists of questions: a person's own (asked, their parliament's, assigned to them), the unit's queue by due
time, the overdue ones, and the people offered as experts. Each list is one statement (plus its count)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import selectinload

from elearn.access import Role
from elearn.assistance.models import AssistanceQuestion, QuestionStatus, Urgency
from elearn.database import utcnow
from elearn.extensions import db
from elearn.i18n import name_sort_key
from elearn.missions.models import ExpertProfile, expert_topic
from elearn.people.models import Parliament, Person

WAITING = (QuestionStatus.OPEN, QuestionStatus.ASSIGNED)


def overdue_condition(now: datetime):
    """No answer yet, past the due time, not closed."""
    return and_(AssistanceQuestion.status.in_(WAITING), AssistanceQuestion.answered_at.is_(None),
                AssistanceQuestion.due_at < now)


def is_overdue(question: AssistanceQuestion, now: datetime | None = None) -> bool:
    return (question.status in WAITING and question.answered_at is None
            and question.due_at < (now or utcnow()))


def _loaded(statement):
    return statement.options(selectinload(AssistanceQuestion.topic), selectinload(AssistanceQuestion.parliament),
                             selectinload(AssistanceQuestion.expert))


def visible_to(person):
    """The questions a person sees outside the unit's queue: asked by them, of their parliament (focal
    points), assigned to them; the newest first."""
    mine = [AssistanceQuestion.asker_id == person.id, AssistanceQuestion.expert_id == person.id]
    if Role(person.role) == Role.FOCAL_POINT and person.parliament_id is not None:
        mine.append(AssistanceQuestion.parliament_id == person.parliament_id)
    return _loaded(select(AssistanceQuestion).where(or_(*mine))
                   .order_by(AssistanceQuestion.asked_at.desc(), AssistanceQuestion.id.desc()))


@dataclass(frozen=True)
class QueueFilters:
    status: QuestionStatus | None = None  # None: every question not closed
    urgency: Urgency | None = None
    topic_id: int | None = None
    overdue_only: bool = False


def queue(filters: QueueFilters, now: datetime | None = None):
    """The unit's queue: the soonest due first (the most overdue at the top)."""
    now = now or utcnow()
    statement = select(AssistanceQuestion)
    if filters.status is not None:
        statement = statement.where(AssistanceQuestion.status == filters.status)
    else:
        statement = statement.where(AssistanceQuestion.status != QuestionStatus.CLOSED)
    if filters.urgency is not None:
        statement = statement.where(AssistanceQuestion.urgency == filters.urgency)
    if filters.topic_id is not None:
        statement = statement.where(AssistanceQuestion.topic_id == filters.topic_id)
    if filters.overdue_only:
        statement = statement.where(overdue_condition(now))
    return _loaded(statement.order_by(AssistanceQuestion.due_at, AssistanceQuestion.id))


def overdue(now: datetime | None = None, expert_id: int | None = None, limit: int = 5):
    """(the first `limit` overdue questions, how many in all), for the unit or one expert."""
    now = now or utcnow()
    statement = select(AssistanceQuestion).where(overdue_condition(now))
    if expert_id is not None:
        statement = statement.where(AssistanceQuestion.expert_id == expert_id)
    total = db.session.scalar(statement.with_only_columns(db.func.count()).order_by(None))
    items = list(db.session.scalars(_loaded(statement.order_by(AssistanceQuestion.due_at)).limit(limit)))
    return items, total


def awaiting(expert_id: int, limit: int = 5):
    """An expert's questions waiting for an answer (assigned, or followed up), the soonest due first."""
    statement = select(AssistanceQuestion).where(AssistanceQuestion.expert_id == expert_id,
                                                 AssistanceQuestion.status == QuestionStatus.ASSIGNED)
    total = db.session.scalar(statement.with_only_columns(db.func.count()).order_by(None))
    items = list(db.session.scalars(_loaded(statement.order_by(AssistanceQuestion.due_at)).limit(limit)))
    return items, total


def unassigned_count() -> int:
    return db.session.scalar(select(db.func.count(AssistanceQuestion.id))
                             .where(AssistanceQuestion.status == QuestionStatus.OPEN))


@dataclass(frozen=True)
class ExpertChoices:
    on_topic: list[Person]     # roster experts who cover the question's topic
    roster: list[Person]       # other roster experts
    others: list[Person]       # everyone else of an assisting parliament


def expert_choices(question: AssistanceQuestion) -> ExpertChoices:
    """The people who may be assigned: the roster's experts on the topic first, then the roster, then the rest."""
    rows = db.session.execute(
        select(Person, ExpertProfile.id, exists().where(
            expert_topic.c.profile_id == ExpertProfile.id,
            expert_topic.c.topic_id == question.topic_id) if question.topic_id else false())
        .join(Parliament, Parliament.id == Person.parliament_id)
        .outerjoin(ExpertProfile, and_(ExpertProfile.person_id == Person.id, ExpertProfile.active.is_(True)))
        .where(Parliament.gives_assistance.is_(True), Person.is_active.is_(True), Person.erased_at.is_(None),
               Person.id != question.asker_id)
        .options(selectinload(Person.parliament))).all()
    on_topic = [person for person, profile, covers in rows if profile and covers]
    roster = [person for person, profile, covers in rows if profile and not covers]
    others = [person for person, profile, _covers in rows if not profile]
    return ExpertChoices(*(sorted(group, key=lambda person: (name_sort_key(person.full_name), person.id))
                           for group in (on_topic, roster, others)))
