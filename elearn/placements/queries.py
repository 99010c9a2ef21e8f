"""Lists of placements: the unit's (filtered), a person's own (placed or tutor), a focal point's parliament's."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from elearn.access import Role
from elearn.people.models import Person
from elearn.placements.models import Placement, PlacementStatus


def _listed(statement: Select) -> Select:
    return (statement.options(joinedload(Placement.person).joinedload(Person.parliament),
                              joinedload(Placement.tutor), joinedload(Placement.host_parliament))
            .order_by(Placement.starts_on.desc(), Placement.id.desc()))


def staff_list(*, status: PlacementStatus | None = None, host_parliament_id: int | None = None,
               parliament_id: int | None = None) -> Select:
    """Every placement, newest first; `parliament_id` is the placed person's parliament."""
    statement = select(Placement)
    if status is not None:
        statement = statement.where(Placement.status == status)
    if host_parliament_id:
        statement = statement.where(Placement.host_parliament_id == host_parliament_id)
    if parliament_id:
        statement = statement.where(Placement.person_id.in_(
            select(Person.id).where(Person.parliament_id == parliament_id)))
    return _listed(statement)


def of_person(person: Person) -> Select:
    """Where the person is placed or tutor."""
    return _listed(select(Placement).where(or_(Placement.person_id == person.id, Placement.tutor_id == person.id)))


def current_for(person: Person, today: date) -> Select:
    """For the dashboard: the person's placements not cancelled, planned or under way, or ended in the last
    60 days (reports are written after)."""
    return (of_person(person).where(Placement.status != PlacementStatus.CANCELLED,
                                    Placement.ends_on >= today - timedelta(days=60)).limit(5))


def weekdays(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)
            if (start + timedelta(days=n)).weekday() < 5]


def working_days(placement: Placement, date_from: date | None = None, date_to: date | None = None) -> list[date]:
    """The days counted: those with a programme entry, or every weekday of the period if it has none; within
    [date_from, date_to] when given."""
    days = sorted({entry.day for entry in placement.entries}) or weekdays(placement.starts_on, placement.ends_on)
    return [d for d in days if (date_from is None or d >= date_from) and (date_to is None or d <= date_to)]


def visible_to(person: Person) -> Select:
    """A person's placements page: where they are placed or tutor and, for a focal point, their parliament's."""
    concerned = [Placement.person_id == person.id, Placement.tutor_id == person.id]
    if person.role == Role.FOCAL_POINT and person.parliament_id is not None:
        concerned.append(Placement.person_id.in_(select(Person.id).where(Person.parliament_id == person.parliament_id)))
    return _listed(select(Placement).where(or_(*concerned)))
