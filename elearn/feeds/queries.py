"""Which sessions a feed holds: one statement per feed, shared by the freshness check and the render."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import Select, and_, exists, false, null, or_, select

from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    Registration,
    RegistrationState,
    activity_trainer,
)
from elearn.scheduling.queries import LISTED_STATUSES, ActivityFilters

TENTATIVE_STATES = (RegistrationState.WAITLISTED, RegistrationState.REQUESTED)


def window_start(now: datetime, past_days: int) -> datetime:
    """Midnight UTC, `past_days` ago: fixed for a whole day, so a feed does not change by the minute."""
    return datetime.combine((now - timedelta(days=past_days)).date(), time(0), timezone.utc)


def window_end(now: datetime, future_days: int) -> datetime | None:
    """Midnight UTC after `future_days` from today (None: no end)."""
    if future_days <= 0:
        return None
    return datetime.combine((now + timedelta(days=future_days + 1)).date(), time(0), timezone.utc)


@dataclass(frozen=True)
class Selection:
    """The sessions of one feed: published, cancelled and completed activities, never drafts.

    Public feeds narrow by filters, programme or activity; a personal feed takes the
    activities a person is confirmed for (and, if asked, waitlisted or requested
    for) or teaches. `rows(...)` returns the given columns followed by the person's
    registration state, its change time and whether they teach (NULL, NULL, false
    in public feeds), ordered by start.
    """

    filters: ActivityFilters = field(default_factory=ActivityFilters)
    programme_id: int | None = None
    activity_id: int | None = None
    course_id: int | None = None
    person_id: int | None = None
    include_tentative: bool = False
    since: datetime | None = None
    until: datetime | None = None  # sessions starting before this

    @property
    def personal(self) -> bool:
        return self.person_id is not None

    def rows(self, *columns) -> Select:
        if self.person_id is None:
            extra = (null().label("state"), null().label("registered_at"), false().label("teaching"))
        else:
            teaching = exists().where(activity_trainer.c.activity_id == Activity.id,
                                      activity_trainer.c.person_id == self.person_id)
            extra = (Registration.state.label("state"), Registration.updated_at.label("registered_at"),
                     teaching.label("teaching"))
        statement = (select(*columns, *extra).select_from(ActivitySession).join(ActivitySession.activity)
                     .where(Activity.status.in_(LISTED_STATUSES)))
        if self.since is not None:
            statement = statement.where(ActivitySession.ends_at >= self.since)
        if self.until is not None:
            statement = statement.where(ActivitySession.starts_at < self.until)
        if self.programme_id is not None:
            statement = statement.where(Activity.programme_id == self.programme_id)
        if self.activity_id is not None:
            statement = statement.where(Activity.id == self.activity_id)
        if self.course_id is not None:
            statement = statement.where(Activity.course_id == self.course_id)
        if self.person_id is not None:
            states = [RegistrationState.CONFIRMED, *(TENTATIVE_STATES if self.include_tentative else ())]
            statement = statement.outerjoin(Registration, and_(Registration.activity_id == Activity.id,
                                                               Registration.person_id == self.person_id))
            statement = statement.where(or_(Registration.state.in_(states), teaching))
        statement = self.filters.apply(statement)
        return statement.order_by(ActivitySession.starts_at, ActivitySession.id)
