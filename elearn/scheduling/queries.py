"""Reusable queries for activity listings, with filters, eager loading and a constant query count."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import selectinload

from elearn.extensions import db
from elearn.params import ints_from
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Audience,
    Modality,
    Programme,
    Registration,
    RegistrationState,
    activity_invited_parliament,
    activity_topic,
)
from elearn.topics import Topic

LISTED_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED, ActivityStatus.COMPLETED)


def escape_like(text: str) -> str:
    """`text` matched literally by LIKE ... ESCAPE '\\': `%` and `_` are no wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class ActivityFilters:
    modalities: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    parliaments: list[int] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    search: str = ""

    @classmethod
    def from_args(cls, args) -> "ActivityFilters":
        return cls(
            modalities=[v for v in args.getlist("modality") if v in {m.value for m in Modality}],
            topics=[v for v in args.getlist("topic") if v],
            languages=[v for v in args.getlist("lang") if v],
            parliaments=ints_from(args, "parliament"),
            programmes=[v for v in args.getlist("programme") if v],
            audiences=[v for v in args.getlist("audience") if v in {a.value for a in Audience}],
            search=args.get("q", "").strip(),
        )

    def apply(self, statement: Select) -> Select:
        if self.modalities:
            statement = statement.where(Activity.modality.in_([Modality(m) for m in self.modalities]))
        if self.topics:
            statement = statement.where(Activity.id.in_(
                select(activity_topic.c.activity_id).join(Topic).where(Topic.slug.in_(self.topics))))
        if self.languages:
            # Languages are a short JSON list; a LIKE on its text works on both databases.
            statement = statement.where(or_(*[cast(Activity.languages, String).like(
                f'%"{escape_like(code)}"%', escape="\\") for code in self.languages]))
        if self.parliaments:
            invited = select(activity_invited_parliament.c.activity_id).where(
                activity_invited_parliament.c.parliament_id.in_(self.parliaments))
            statement = statement.where(or_(Activity.id.in_(invited),
                                            Activity.host_parliament_id.in_(self.parliaments)))
        if self.programmes:
            statement = statement.where(Activity.programme_id.in_(
                select(Programme.id).where(Programme.slug.in_(self.programmes))))
        if self.audiences:
            wanted = {Audience(a) for a in self.audiences}
            # An activity for both audiences suits anyone asking for either.
            statement = statement.where(Activity.audience.in_(wanted | {Audience.BOTH}))
        if self.search:
            statement = statement.where(func.lower(Activity.title).like(f"%{escape_like(self.search.lower())}%",
                                                                        escape="\\"))
        return statement


def listing_options():
    return (selectinload(Activity.sessions), selectinload(Activity.topics),
            selectinload(Activity.programme), selectinload(Activity.host_parliament))


def public_activities(filters: ActivityFilters, *, since: datetime | None = None,
                      until: datetime | None = None) -> Select:
    statement = select(Activity).where(Activity.status.in_(LISTED_STATUSES))
    if since is not None:
        statement = statement.where(Activity.ends_at >= since)
    if until is not None:
        statement = statement.where(Activity.starts_at < until)
    return filters.apply(statement).options(*listing_options()).order_by(Activity.starts_at, Activity.id)


def upcoming_published(limit: int, *, now: datetime) -> tuple[list[Activity], int]:
    """The next `limit` published activities not yet over, and how many there are: what a visitor is shown first.

    A narrower cut of the public listing (LISTED_STATUSES): cancelled and completed
    activities stay on /activities, and a card needs only the sessions loaded.
    """
    upcoming = (Activity.status == ActivityStatus.PUBLISHED, Activity.ends_at >= now)
    total = db.session.scalar(select(func.count(Activity.id)).where(*upcoming))
    activities = db.session.scalars(select(Activity).where(*upcoming).options(selectinload(Activity.sessions))
                                    .order_by(Activity.starts_at, Activity.id).limit(limit)).all()
    return list(activities), total or 0


def confirmed_counts(activity_ids: list[int]) -> dict[int, int]:
    if not activity_ids:
        return {}
    rows = db.session.execute(
        select(Registration.activity_id, func.count(Registration.id))
        .where(Registration.activity_id.in_(activity_ids), Registration.state == RegistrationState.CONFIRMED)
        .group_by(Registration.activity_id)).all()
    return dict(rows)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    from datetime import timezone as tz

    start = datetime(year, month, 1, tzinfo=tz.utc)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz.utc)
    # A day of margin on each side covers every viewer's timezone.
    return start - timedelta(days=1), end + timedelta(days=1)


@dataclass(frozen=True)
class MonthEntry:
    """One session on the month view: what its cell shows, without loading the activity."""
    activity_id: int
    title: str
    cancelled: bool
    starts_at: datetime
    ends_at: datetime


def month_entries(filters: ActivityFilters, *, since: datetime, until: datetime) -> list[MonthEntry]:
    """The listed activities' sessions that overlap [since, until), in order (one query, only the columns shown)."""
    statement = filters.apply(
        select(Activity.id, Activity.title, Activity.status, ActivitySession.starts_at, ActivitySession.ends_at)
        .join(ActivitySession, ActivitySession.activity_id == Activity.id)
        .where(Activity.status.in_(LISTED_STATUSES), ActivitySession.starts_at < until,
               ActivitySession.ends_at >= since))
    rows = db.session.execute(statement.order_by(ActivitySession.starts_at, Activity.id))
    return [MonthEntry(activity_id, title, status == ActivityStatus.CANCELLED, starts_at, ends_at)
            for activity_id, title, status, starts_at, ends_at in rows]

