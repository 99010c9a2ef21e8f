"""Counting seats and holding the per-activity lock that serialises every seat change."""
from __future__ import annotations

from sqlalchemy import func, select, update

from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Registration, RegistrationState

# States that hold a seat or wait for one.
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


def next_waitlist_position(activity: Activity) -> int:
    highest = db.session.scalar(select(func.max(Registration.waitlist_position)).where(
        Registration.activity_id == activity.id))
    return (highest or 0) + 1


def waitlist_rank(registration: Registration) -> int | None:
    """1 for the first person waiting, and so on."""
    if registration.state != RegistrationState.WAITLISTED:
        return None
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.activity_id == registration.activity_id,
        Registration.state == RegistrationState.WAITLISTED,
        Registration.waitlist_position <= registration.waitlist_position))
