"""Overlapping sessions: one query serves participants, trainers and venues."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus, Registration, RegistrationState


def overlapping_sessions(sessions, *, person_id: int | None = None, trainer_id: int | None = None,
                         venue: tuple[str, str] | None = None, exclude_activity_id: int | None = None):
    """Sessions of other live activities that overlap any of `sessions`, for a person, a trainer or a venue."""
    if not sessions:
        return []
    overlap = db.or_(*[db.and_(ActivitySession.starts_at < s.ends_at, ActivitySession.ends_at > s.starts_at)
                       for s in sessions])
    # The activity comes with its session: pages name it for each clash, however many there are.
    statement = (select(ActivitySession).join(Activity).options(contains_eager(ActivitySession.activity))
                 .where(overlap, Activity.status.in_((ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED))))
    if exclude_activity_id is not None:
        statement = statement.where(Activity.id != exclude_activity_id)
    if person_id is not None:
        statement = statement.join(Registration, Registration.activity_id == Activity.id).where(
            Registration.person_id == person_id, Registration.state == RegistrationState.CONFIRMED)
    if trainer_id is not None:
        statement = statement.where(Activity.trainers.any(Person.id == trainer_id))
    if venue is not None:
        statement = statement.where(Activity.venue_name == venue[0], Activity.venue_city == venue[1])
    return db.session.scalars(statement.order_by(ActivitySession.starts_at)).all()


def clashing_activities(person: Person, activity: Activity) -> list[Activity]:
    found = overlapping_sessions(activity.sessions, person_id=person.id, exclude_activity_id=activity.id)
    return list(dict.fromkeys(s.activity for s in found))


def staff_clashes(activity: Activity) -> dict[str, list[ActivitySession]]:
    """Clashes a trainer should see: each trainer's other sessions, and the venue's."""
    result: dict[str, list[ActivitySession]] = {}
    for trainer in activity.trainers:
        found = overlapping_sessions(activity.sessions, trainer_id=trainer.id, exclude_activity_id=activity.id)
        if found:
            result[trainer.full_name] = found
    if activity.venue_name:
        found = overlapping_sessions(activity.sessions, venue=(activity.venue_name, activity.venue_city),
                                     exclude_activity_id=activity.id)
        if found:
            result[activity.venue_name] = found
    return result
