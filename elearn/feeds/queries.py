"""Which sessions a feed holds: one statement per feed, shared by the freshness check and the render."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import Select, and_, bindparam, exists, false, func, null, or_, select

from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    Registration,
    RegistrationState,
    activity_trainer,
)
from elearn.scheduling.queries import LISTED_STATUSES, ActivityFilters

# Feeds show what is coming and what happened in the last 90 days.
PAST_DAYS = 90
TENTATIVE_STATES = (RegistrationState.WAITLISTED, RegistrationState.REQUESTED)


def window_start(now: datetime) -> datetime:
    """Midnight UTC, 90 days ago: fixed for a whole day, so a feed does not change by the minute."""
    return datetime.combine((now - timedelta(days=PAST_DAYS)).date(), time(0), timezone.utc)


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



def clock_parts(personal: bool) -> list:
    """Scalar subqueries for the newest change anywhere a feed could notice.

    Each is one step down an index, whatever the number of sessions; a personal
    feed adds its person's registrations (bound as `person_id`).
    """
    parts = [select(func.max(Activity.updated_at)).scalar_subquery(),
             select(func.max(ActivitySession.updated_at)).scalar_subquery()]
    if personal:
        parts.append(select(func.max(Registration.updated_at))
                     .where(Registration.person_id == bindparam("person_id")).scalar_subquery())
    return parts
