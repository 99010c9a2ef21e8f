"""Counting seats and holding the per-activity lock that serialises every seat change."""
from __future__ import annotations

from sqlalchemy import func, select, update

from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Registration, RegistrationState

# States that hold a seat or wait for one; declined, withdrawn and removed hold nothing.
ACTIVE_STATES = (RegistrationState.REQUESTED, RegistrationState.CONFIRMED, RegistrationState.WAITLISTED)


def lock_seats(activity_id: int) -> None:
    """Serialise seat changes for one activity until the transaction ends.

    An UPDATE is a write on both backends: PostgreSQL locks the row, and on
    SQLite the first write of a transaction takes the database write lock
    (waiting up to busy_timeout) before anything is counted.
    """
    db.session.execute(update(Activity).where(Activity.id == activity_id)
                       .values(seat_lock=Activity.seat_lock + 1).execution_options(synchronize_session=False))


def confirmed_count(activity: Activity, parliament_id: int | None = None) -> int:
    statement = select(func.count(Registration.id)).where(
        Registration.activity_id == activity.id, Registration.state == RegistrationState.CONFIRMED)
    if parliament_id is not None:
        statement = statement.join(Person, Person.id == Registration.person_id).where(
            Person.parliament_id == parliament_id)
    return db.session.scalar(statement)


def seats_left(activity: Activity) -> int:
    return max(activity.capacity - confirmed_count(activity), 0)


def quota_allows(activity: Activity, person: Person) -> bool:
    if activity.quota_per_parliament is None or person.parliament_id is None:
        return True
    return confirmed_count(activity, person.parliament_id) < activity.quota_per_parliament


def waits_for_quota(registration: Registration) -> bool:
    """Waiting although a seat is free: their parliament has used its quota (not "the activity is full")."""
    activity = registration.activity
    return (registration.state == RegistrationState.WAITLISTED and confirmed_count(activity) < activity.capacity
            and not quota_allows(activity, registration.person))


def next_waitlist_position(activity: Activity) -> int:
    highest = db.session.scalar(select(func.max(Registration.waitlist_position)).where(
        Registration.activity_id == activity.id))
    return (highest or 0) + 1


def waitlist_ranks(activity_id: int) -> dict[int, int]:
    """The place each waiting person holds in line, 1..n, by registration id.

    Stored positions keep gaps where people left or moved up (they only grow,
    so that a newcomer never passes anyone): the rank counts who is still ahead.
    The roster and the learner's own pages and mails all read it from here.
    """
    return waitlist_ranks_among([activity_id])


def waitlist_ranks_among(activity_ids: list[int], registration_ids: list[int] | None = None) -> dict[int, int]:
    """`waitlist_ranks` of several activities at once, by registration id: one query (a window function).

    With `registration_ids`, only theirs are returned (a page of a roster, a person's schedule).
    """
    if not activity_ids or registration_ids == []:
        return {}
    ranked = (select(Registration.id, func.row_number().over(
        partition_by=Registration.activity_id, order_by=Registration.waitlist_position).label("rank"))
        .where(Registration.activity_id.in_(activity_ids), Registration.state == RegistrationState.WAITLISTED)
        .subquery())
    statement = select(ranked.c.id, ranked.c.rank)
    if registration_ids is not None:
        statement = statement.where(ranked.c.id.in_(registration_ids))
    return {registration_id: rank for registration_id, rank in db.session.execute(statement)}


def waitlist_rank(registration: Registration) -> int | None:
    """1 for the first person waiting, and so on; None for someone not waiting."""
    if registration.state != RegistrationState.WAITLISTED:
        return None
    return waitlist_ranks_among([registration.activity_id], [registration.id]).get(registration.id)
