"""A person's own agenda, for the dashboard: next sessions, places waiting, and activities they could join.

Each function reads a bounded number of rows in a fixed number of queries,
whatever the number of activities, sessions or registrations.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, selectinload

from elearn.extensions import db
from elearn.learning.models import Enrolment
from elearn.people.models import PersonKind
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Audience,
    Registration,
    RegistrationState,
    activity_invited_parliament,
)
from elearn.scheduling.seats import waitlist_ranks_among


@dataclass(frozen=True)
class WaitingPlace:
    """A registration not yet holding a seat: awaiting a trainer's approval, or in line (`rank`, from 1)."""

    registration_id: int
    activity: Activity
    state: RegistrationState
    rank: int | None = None


def next_sessions(person, now: datetime, limit: int) -> list[ActivitySession]:
    """The coming sessions of activities where the person holds a confirmed seat, soonest first (1 query).

    Each session comes with its activity loaded, for its place, link and timezone.
    """
    return list(db.session.scalars(
        select(ActivitySession).join(Activity, Activity.id == ActivitySession.activity_id)
        .join(Registration, Registration.activity_id == Activity.id)
        .where(Registration.person_id == person.id, Registration.state == RegistrationState.CONFIRMED,
               Activity.status == ActivityStatus.PUBLISHED, ActivitySession.ends_at > now)
        .options(contains_eager(ActivitySession.activity))
        .order_by(ActivitySession.starts_at, ActivitySession.id).limit(limit)))


def waiting_places(person, now: datetime, limit: int) -> list[WaitingPlace]:
    """The person's requests awaiting approval and places on waiting lists, soonest activity first (2 queries)."""
    registrations = db.session.scalars(
        select(Registration).join(Activity, Activity.id == Registration.activity_id)
        .where(Registration.person_id == person.id,
               Registration.state.in_((RegistrationState.REQUESTED, RegistrationState.WAITLISTED)),
               Activity.status == ActivityStatus.PUBLISHED, Activity.ends_at > now)
        .options(contains_eager(Registration.activity))
        .order_by(Activity.starts_at, Activity.id).limit(limit)).all()
    ranks = waitlist_ranks_among([r.activity_id for r in registrations if r.state == RegistrationState.WAITLISTED])
    return [WaitingPlace(r.id, r.activity, r.state, ranks.get(r.id)) for r in registrations]


def _audiences_for(person) -> tuple[Audience, ...]:
    # As registrations.eligibility_problem decides: an activity for one audience takes only that kind.
    if person.kind == PersonKind.MP:
        return (Audience.BOTH, Audience.MPS)
    if person.kind == PersonKind.STAFF:
        return (Audience.BOTH, Audience.STAFF)
    return (Audience.BOTH,)


def open_to(person, now: datetime, limit: int) -> list[Activity]:
    """Coming activities this person could register for now and has not, soonest first (2 queries).

    The same rules as registrations.eligibility_problem, in SQL: published, registration
    open, their audience, their parliament invited (or everyone), any prerequisite course done.
    """
    registered = select(Registration.activity_id).where(Registration.person_id == person.id)
    restricted = select(activity_invited_parliament.c.activity_id)
    invited = restricted.where(activity_invited_parliament.c.parliament_id == (person.parliament_id or -1))
    completed = select(Enrolment.course_id).where(Enrolment.person_id == person.id,
                                                  Enrolment.completed_at.is_not(None))
    return list(db.session.scalars(
        select(Activity).where(
            Activity.status == ActivityStatus.PUBLISHED, Activity.starts_at > now,
            or_(Activity.registration_opens_at.is_(None), Activity.registration_opens_at <= now),
            or_(Activity.registration_closes_at.is_(None), Activity.registration_closes_at > now),
            Activity.audience.in_(_audiences_for(person)), Activity.id.not_in(registered),
            or_(Activity.id.not_in(restricted), Activity.id.in_(invited)),
            or_(Activity.prerequisite_course_id.is_(None), Activity.prerequisite_course_id.in_(completed)))
        .options(selectinload(Activity.sessions))
        .order_by(Activity.starts_at, Activity.id).limit(limit)))
