"""A parliament's delegations, for its focal point's dashboard: coming activities, seats, quota, nominations.

Each function reads a bounded number of rows in a fixed number of queries,
whatever the number of activities or registrations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, selectinload

from elearn.extensions import db
from elearn.people.models import Gender, Person, PersonKind, PoliticalSide
from elearn.scheduling.models import (
    Activity,
    ActivityStatus,
    Registration,
    RegistrationState,
    activity_invited_parliament,
)
from elearn.scheduling.queries import confirmed_counts
from elearn.scheduling.seats import ACTIVE_STATES

# What a nomination counts against the quota (scheduling.registrations.nominate): seats held or asked for.
QUOTA_STATES = (RegistrationState.CONFIRMED, RegistrationState.REQUESTED)


@dataclass(frozen=True)
class Member:
    """One person of the delegation, as the balance needs them; never shown one by one."""

    person_id: int
    state: RegistrationState
    kind: PersonKind
    gender: Gender | None
    side: PoliticalSide | None  # in force today, which is also the side on a coming activity's date


@dataclass
class DelegationActivity:
    activity: Activity  # its sessions loaded
    seats_taken: int  # confirmed seats, every parliament together
    members: list[Member] = field(default_factory=list)  # this parliament's active registrations

    @property
    def seats_left(self) -> int:
        return max(self.activity.capacity - self.seats_taken, 0)

    @property
    def quota_used(self) -> int:
        return sum(1 for member in self.members if member.state in QUOTA_STATES)


@dataclass(frozen=True)
class PendingNomination:
    registration_id: int
    person_name: str
    activity: Activity
    nominated_at: datetime


def coming_activities(parliament_id: int, now: datetime, limit: int) -> list[DelegationActivity]:
    """Published activities not over that invite the parliament by name, are hosted by it or have its people.

    Activities open to every parliament without anyone of this one are left to the full list.
    Four queries: the activities, their sessions, the seats taken, the delegation's registrations.
    """
    invited = select(activity_invited_parliament.c.activity_id).where(
        activity_invited_parliament.c.parliament_id == parliament_id)
    attending = (select(Registration.activity_id).join(Person, Person.id == Registration.person_id)
                 .where(Person.parliament_id == parliament_id, Registration.state.in_(ACTIVE_STATES)))
    activities = db.session.scalars(
        select(Activity).where(
            Activity.status == ActivityStatus.PUBLISHED, Activity.ends_at > now,
            or_(Activity.id.in_(invited), Activity.host_parliament_id == parliament_id,
                Activity.id.in_(attending)))
        .options(selectinload(Activity.sessions))
        .order_by(Activity.starts_at, Activity.id).limit(limit)).all()
    if not activities:
        return []
    ids = [activity.id for activity in activities]
    taken = confirmed_counts(ids)
    result = {activity.id: DelegationActivity(activity, taken.get(activity.id, 0)) for activity in activities}
    rows = db.session.execute(
        select(Registration.activity_id, Registration.person_id, Registration.state, Person.kind, Person.gender,
               Person.political_side)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.activity_id.in_(ids), Person.parliament_id == parliament_id,
               Registration.state.in_(ACTIVE_STATES)))
    for activity_id, person_id, state, kind, gender, side in rows:
        result[activity_id].members.append(Member(person_id, state, kind, gender, side))
    return list(result.values())


def nominations_awaiting(parliament_id: int, now: datetime, limit: int) -> list[PendingNomination]:
    """Nominations of the parliament's people still awaiting a trainer's decision, soonest activity first (1 query)."""
    registrations = db.session.scalars(
        select(Registration).join(Activity, Activity.id == Registration.activity_id)
        .join(Person, Person.id == Registration.person_id)
        .where(Person.parliament_id == parliament_id, Registration.nominated_by_id.is_not(None),
               Registration.state == RegistrationState.REQUESTED,
               Activity.status == ActivityStatus.PUBLISHED, Activity.ends_at > now)
        .options(contains_eager(Registration.activity), contains_eager(Registration.person))
        .order_by(Activity.starts_at, Activity.id, Person.full_name).limit(limit)).all()
    return [PendingNomination(r.id, r.person.full_name, r.activity, r.updated_at) for r in registrations]
