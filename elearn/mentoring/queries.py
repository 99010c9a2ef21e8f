"""The lists the mentoring pages show: a person's pairs, the staff list with its filters, a focal point's
requests, and the people a form offers. Each list is one paginated statement plus one per relation loaded."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from elearn.access import Role
from elearn.extensions import db
from elearn.mentoring.models import MentoringPair, PairStatus
from elearn.people.models import Parliament, Person

WITH_PEOPLE = (selectinload(MentoringPair.mentor).selectinload(Person.parliament),
               selectinload(MentoringPair.mentee).selectinload(Person.parliament),
               selectinload(MentoringPair.trainer), selectinload(MentoringPair.topic))


@dataclass(frozen=True)
class StaffFilters:
    scope: str = "mine"  # "mine" (the pairs I follow), "requests" (no trainer yet) or "all" (administrators)
    status: PairStatus | None = None
    programme_id: int | None = None
    parliament_id: int | None = None  # the mentee's
    name: str = ""


def _usable_people():
    return select(Person).join(Parliament, Parliament.id == Person.parliament_id).where(
        Person.is_active.is_(True), Person.erased_at.is_(None))


def possible_mentors() -> list[Person]:
    return list(db.session.scalars(_usable_people().where(Parliament.gives_assistance.is_(True))
                           .order_by(Person.full_name, Person.id)))


def possible_mentees(parliament_id: int | None = None) -> list[Person]:
    statement = _usable_people().where(Parliament.receives_assistance.is_(True))
    if parliament_id is not None:
        statement = statement.where(Person.parliament_id == parliament_id)
    return list(db.session.scalars(statement.order_by(Person.full_name, Person.id)))


def possible_trainers() -> list[Person]:
    return list(db.session.scalars(select(Person).where(
        Person.role.in_((Role.TRAINER.value, Role.ADMIN.value)), Person.is_active.is_(True))
        .order_by(Person.full_name, Person.id)))


def mine(person: Person):
    """The pairs a person is the mentor or the mentee of: those waiting for them first, then the active ones."""
    return (select(MentoringPair).options(*WITH_PEOPLE)
            .where(or_(MentoringPair.mentor_id == person.id, MentoringPair.mentee_id == person.id),
                   MentoringPair.status != PairStatus.REQUESTED)
            .order_by(MentoringPair.status != PairStatus.PROPOSED, MentoringPair.status != PairStatus.ACTIVE,
                      MentoringPair.created_at.desc(), MentoringPair.id.desc()))


def of_parliament(parliament_id: int | None):
    """A focal point's view: the pairs of their parliament's people, whatever their state (never the log)."""
    mentee = aliased(Person)
    return (select(MentoringPair).options(*WITH_PEOPLE).join(mentee, mentee.id == MentoringPair.mentee_id)
            .where(mentee.parliament_id == parliament_id if parliament_id is not None else false())
            .order_by(MentoringPair.created_at.desc(), MentoringPair.id.desc()))


def staff_list(person: Person, filters: StaffFilters):
    """A trainer sees the pairs they follow and the requests nobody follows; an administrator, every pair."""
    statement = select(MentoringPair).options(*WITH_PEOPLE)
    unassigned = and_(MentoringPair.status == PairStatus.REQUESTED, MentoringPair.trainer_id.is_(None))
    if filters.scope == "requests":
        statement = statement.where(unassigned)
    elif filters.scope == "all" and person.role == Role.ADMIN:
        pass
    else:
        statement = statement.where(MentoringPair.trainer_id == person.id)
    if filters.status is not None:
        statement = statement.where(MentoringPair.status == filters.status)
    if filters.programme_id:
        statement = statement.where(MentoringPair.programme_id == filters.programme_id)
    mentor, mentee = aliased(Person), aliased(Person)
    statement = statement.join(mentee, mentee.id == MentoringPair.mentee_id).outerjoin(
        mentor, mentor.id == MentoringPair.mentor_id)
    if filters.parliament_id:
        statement = statement.where(mentee.parliament_id == filters.parliament_id)
    words = filters.name.split()[:5]
    for word in words:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        statement = statement.where(or_(mentee.full_name.ilike(pattern), mentor.full_name.ilike(pattern)))
    return statement.order_by(MentoringPair.updated_at.desc(), MentoringPair.id.desc())


def open_requests_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MentoringPair).where(
        MentoringPair.status == PairStatus.REQUESTED, MentoringPair.trainer_id.is_(None))) or 0
