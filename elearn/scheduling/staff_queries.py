"""What a trainer's dashboard asks of scheduling: coming activities and their seats, sessions awaiting attendance.

Each function runs a fixed number of queries whatever the number of rows, and returns small dataclasses,
so that the dashboard's cost does not grow with the platform.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import get_locale, get_timezone
from sqlalchemy import Select, and_, exists, func, select

from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.display import format_span
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    Registration,
    RegistrationState,
    activity_trainer,
)

# "The next weeks": far enough to prepare a workshop, near enough to stay a short list.
HORIZON = timedelta(weeks=6)
# Attendance can be taken for a session of these; a draft or cancelled one had nobody to mark.
HELD_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)


@dataclass(frozen=True)
class ActivityLoad:
    """One coming activity with its seats: taken, waiting and awaiting a trainer's approval."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    capacity: int
    confirmed: int = 0
    waitlisted: int = 0
    requested: int = 0


@dataclass(frozen=True)
class SessionToMark:
    """A session that has started, whose activity has confirmed participants and no attendance yet."""

    session_id: int
    activity_id: int
    activity_title: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    timezone: str
    participants: int

    def span(self) -> str:
        return format_span(self.starts_at, self.ends_at, self.all_day, activity_zone=ZoneInfo(self.timezone),
                           zone=get_timezone(), locale=get_locale())


@dataclass(frozen=True)
class StaffSchedule:
    """The few most urgent rows of each list, and how many there are in all (for "see all")."""

    coming: list[ActivityLoad] = field(default_factory=list)
    coming_total: int = 0
    awaiting_approval: int = 0
    to_mark: list[SessionToMark] = field(default_factory=list)
    to_mark_total: int = 0


def _runs(statement: Select, trainer: Person | None) -> Select:
    """Only `trainer`'s activities (None: every activity, for an administrator)."""
    if trainer is None:
        return statement
    return statement.where(Activity.id.in_(
        select(activity_trainer.c.activity_id).where(activity_trainer.c.person_id == trainer.id)))


def _seat_counts(activity_ids: list[int]) -> dict[tuple[int, RegistrationState], int]:
    if not activity_ids:
        return {}
    rows = db.session.execute(
        select(Registration.activity_id, Registration.state, func.count(Registration.id))
        .where(Registration.activity_id.in_(activity_ids))
        .group_by(Registration.activity_id, Registration.state)).all()
    return {(activity_id, RegistrationState(state)): count for activity_id, state, count in rows}


def coming_activities(trainer: Person | None, now: datetime, limit: int) -> tuple[list[ActivityLoad], int]:
    """Published activities running now or starting within the horizon, soonest first, and their total."""
    where = _runs(select(Activity.id).where(Activity.status == ActivityStatus.PUBLISHED, Activity.ends_at >= now,
                                            Activity.starts_at < now + HORIZON), trainer)
    total = db.session.scalar(select(func.count()).select_from(where.subquery()))
    rows = db.session.execute(
        select(Activity.id, Activity.title, Activity.starts_at, Activity.ends_at, Activity.timezone,
               Activity.capacity).where(Activity.id.in_(where))
        .order_by(Activity.starts_at, Activity.id).limit(limit)).all()
    counts = _seat_counts([row.id for row in rows])
    loads = [ActivityLoad(*row, confirmed=counts.get((row.id, RegistrationState.CONFIRMED), 0),
                          waitlisted=counts.get((row.id, RegistrationState.WAITLISTED), 0),
                          requested=counts.get((row.id, RegistrationState.REQUESTED), 0)) for row in rows]
    return loads, total


def requests_awaiting_approval(trainer: Person | None, now: datetime) -> int:
    """Registrations awaiting a decision for any activity not yet over, beyond the horizon too."""
    statement = _runs(select(func.count(Registration.id)).join(Activity, Activity.id == Registration.activity_id)
                      .where(Registration.state == RegistrationState.REQUESTED,
                             Activity.status == ActivityStatus.PUBLISHED, Activity.ends_at >= now), trainer)
    return db.session.scalar(statement)


def sessions_awaiting_attendance(trainer: Person | None, now: datetime,
                                 limit: int) -> tuple[list[SessionToMark], int]:
    """Started sessions with confirmed participants and not one mark, the most recent first, and their total."""
    confirmed = (select(func.count(Registration.id))
                 .where(Registration.activity_id == Activity.id, Registration.state == RegistrationState.CONFIRMED)
                 .correlate(Activity).scalar_subquery())
    unmarked = ~exists().where(Attendance.session_id == ActivitySession.id)
    has_participants = exists().where(and_(Registration.activity_id == Activity.id,
                                           Registration.state == RegistrationState.CONFIRMED))
    base = _runs(select(ActivitySession.id).join(Activity, Activity.id == ActivitySession.activity_id)
                 .where(Activity.status.in_(HELD_STATUSES), ActivitySession.starts_at <= now,
                        unmarked, has_participants), trainer)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.execute(
        select(ActivitySession.id, Activity.id, Activity.title, ActivitySession.starts_at, ActivitySession.ends_at,
               ActivitySession.all_day, Activity.timezone, confirmed)
        .join(Activity, Activity.id == ActivitySession.activity_id)
        .where(ActivitySession.id.in_(base))
        .order_by(ActivitySession.starts_at.desc(), ActivitySession.id.desc()).limit(limit)).all()
    return [SessionToMark(*row) for row in rows], total


def staff_schedule(trainer: Person | None, now: datetime, limit: int) -> StaffSchedule:
    """`trainer`'s activities and sessions (None: every activity, for an administrator): six queries."""
    coming, coming_total = coming_activities(trainer, now, limit)
    to_mark, to_mark_total = sessions_awaiting_attendance(trainer, now, limit)
    return StaffSchedule(coming=coming, coming_total=coming_total,
                         awaiting_approval=requests_awaiting_approval(trainer, now),
                         to_mark=to_mark, to_mark_total=to_mark_total)
