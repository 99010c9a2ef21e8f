"""Activities and their sessions: checking, creating, editing, publishing, cancelling and copying."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import exists, select

from elearn.content import render_markdown
from elearn.database import rolls_back_on, rows_by_ids, utcnow
from elearn.extensions import db
from elearn.i18n import valid_timezones
from elearn.people.models import Parliament, Person
from elearn.scheduling import events, fanout
from elearn.scheduling.display import Place
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Audience,
    Modality,
    Registration,
    RegistrationState,
)
from elearn.scheduling.notices import ActivityChanges, Span
from elearn.scheduling.registrations import promote_waitlist
from elearn.scheduling.seats import ACTIVE_STATES, confirmed_count, lock_seats
from elearn.scheduling.wall_clock import FIRST, UTC, clock_change, skipped_time_message
from elearn.topics import Topic
from elearn.urls import checked_url


@dataclass(frozen=True)
class SessionInput:
    """A session as a trainer types it: local dates and times in the activity's timezone."""

    start_date: date
    end_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    all_day: bool = False
    title: str = ""
    # Which of the two readings of a local time that occurs twice (the night the
    # clocks go back): wall_clock.FIRST, as RFC 5545 reads it, or SECOND.
    start_fold: int = FIRST
    end_fold: int = FIRST


# The years a session may fall in: a later year is a typing error, and every
# calendar must carry the zone's rules up to the last session.
FIRST_YEAR, LAST_YEAR = 1970, 2100


def _local_instant(day: date, clock: time, fold: int, zone: ZoneInfo) -> datetime:
    """A local time as an instant; a time the clocks skip is refused, not moved an hour on."""
    change = clock_change(day, clock, zone)
    if change is not None and change.skipped:
        raise SchedulingError(skipped_time_message(day, clock, zone, change))
    return datetime.combine(day, clock, zone).replace(fold=fold)


def session_instants(data: SessionInput, timezone: str) -> tuple[datetime, datetime]:
    """The UTC start and end of a session typed in local time."""
    zone = ZoneInfo(timezone)
    end_date = data.end_date or data.start_date
    if not (FIRST_YEAR <= data.start_date.year and end_date.year <= LAST_YEAR):
        raise SchedulingError(_("Give dates between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
    if data.all_day:
        if end_date < data.start_date:
            raise SchedulingError(_("A session cannot end before it starts."))
        start = datetime.combine(data.start_date, time(0), zone)
        end = datetime.combine(end_date + timedelta(days=1), time(0), zone)
    else:
        if data.start_time is None or data.end_time is None:
            raise SchedulingError(_("Give a start and an end time, or mark the session as all-day."))
        start = _local_instant(data.start_date, data.start_time, data.start_fold, zone)
        end = _local_instant(end_date, data.end_time, data.end_fold, zone)
        # Compared in UTC: aware datetimes of one zone compare by clock time, whatever their fold.
        if end.astimezone(UTC) <= start.astimezone(UTC):
            raise SchedulingError(_("A session cannot end before it starts."))
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class ActivityInput:
    title: str
    modality: Modality
    timezone: str
    sessions: tuple[SessionInput, ...]
    description_md: str = ""
    programme_id: int | None = None
    languages: tuple[str, ...] = ("en",)
    audience: Audience = Audience.BOTH
    topic_ids: tuple[int, ...] = ()
    host_parliament_id: int | None = None
    invited_parliament_ids: tuple[int, ...] = ()
    trainer_ids: tuple[int, ...] = ()
    venue_name: str = ""
    venue_address: str = ""
    venue_city: str = ""
    venue_country: str = ""
    online_url: str = ""
    capacity: int = 20
    quota_per_parliament: int | None = None
    opposition_target_percent: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    approval_required: bool = False
    course_id: int | None = None
    prerequisite_course_id: int | None = None


def _session_problems(data: ActivityInput) -> list[str]:
    if not data.sessions:
        return [_("An activity needs at least one session.")]
    if data.timezone not in valid_timezones():
        return []  # already said: sessions cannot be placed in an unknown timezone
    problems = []
    for number, session in enumerate(data.sessions, start=1):
        try:
            session_instants(session, data.timezone)
        except SchedulingError as error:
            problems.append(_("Session %(n)d: %(problem)s", n=number, problem=str(error)))
    return problems


def check_activity_input(data: ActivityInput, existing: Activity | None = None) -> list[str]:
    problems: list[str] = []
    if not data.title.strip():
        problems.append(_("Give the activity a title."))
    if data.timezone not in valid_timezones():
        problems.append(_("Unknown timezone “%(tz)s”. Use a name such as Europe/Paris.", tz=data.timezone))
    problems.extend(_session_problems(data))
    if data.capacity < 1:
        problems.append(_("The capacity must be at least 1."))
    if data.quota_per_parliament is not None and data.quota_per_parliament < 1:
        problems.append(_("A quota per parliament must be at least 1."))
    if data.opposition_target_percent is not None and not 0 <= data.opposition_target_percent <= 100:
        problems.append(_("A share is between 0 and 100 %."))
    if (data.registration_opens_at and data.registration_closes_at
            and data.registration_closes_at <= data.registration_opens_at):
        problems.append(_("Registration must close after it opens."))
    if data.online_url and not _is_web_address(data.online_url):
        problems.append(_("The online link must be a web address starting with https://, "
                          "with no spaces or line breaks."))
    if existing is not None:
        confirmed = confirmed_count(existing)
        if data.capacity < confirmed:
            problems.append(_("The capacity cannot be below the %(n)d people already confirmed.", n=confirmed))
    return problems


def _is_web_address(text: str) -> bool:
    try:
        checked_url(text)
    except ValueError:
        return False
    return True


def _by_ids(model, ids) -> list:
    rows = rows_by_ids(model, ids)
    if rows is None:
        raise SchedulingError(_("Some of the chosen items no longer exist."))
    return rows


def _details(activity: Activity) -> dict[str, str | Place]:
    """What participants are told about when it changes (besides times): name, place, online link.

    The place stays a `Place`: each participant reads the country in their own language.
    """
    return {"title": activity.title, "place": Place.of(activity), "online": activity.join_url}


def _apply(activity: Activity, data: ActivityInput) -> list[tuple[str, str, str]]:
    """Copy the input onto the activity; returns (what, old, new) for a changed title, place or link."""
    before = _details(activity)
    activity.title = data.title.strip()
    activity.description_md = data.description_md
    activity.description_html = render_markdown(data.description_md)
    activity.programme_id = data.programme_id
    activity.modality = data.modality
    activity.languages = list(data.languages)
    activity.audience = data.audience
    activity.host_parliament_id = data.host_parliament_id
    activity.venue_name = data.venue_name.strip()
    activity.venue_address = data.venue_address.strip()
    activity.venue_city = data.venue_city.strip()
    activity.venue_country = data.venue_country.strip().upper()
    activity.online_url = data.online_url.strip()
    activity.timezone = data.timezone
    activity.capacity = data.capacity
    activity.quota_per_parliament = data.quota_per_parliament
    activity.opposition_target_percent = data.opposition_target_percent
    activity.registration_opens_at = data.registration_opens_at
    activity.registration_closes_at = data.registration_closes_at
    activity.approval_required = data.approval_required
    activity.course_id = data.course_id
    activity.prerequisite_course_id = data.prerequisite_course_id
    activity.topics = _by_ids(Topic, data.topic_ids)
    activity.invited_parliaments = _by_ids(Parliament, data.invited_parliament_ids)
    activity.trainers = _by_ids(Person, data.trainer_ids)
    after = _details(activity)
    return [(what, before[what], after[what]) for what in before if before[what] != after[what]]


def _sync_sessions(activity: Activity, sessions: tuple[SessionInput, ...], place_changed: bool) -> ActivityChanges:
    """Update sessions in order, keeping ids (and so feed UIDs); returns the time changes."""
    changes = ActivityChanges()
    now = utcnow()
    existing = list(activity.sessions)
    for index, data in enumerate(sessions):
        starts_at, ends_at = session_instants(data, activity.timezone)
        if index < len(existing):
            session = existing[index]
            before = Span.of(session)
            moved = (session.starts_at, session.ends_at, session.all_day) != (starts_at, ends_at, data.all_day)
            if moved or place_changed or session.title != data.title:
                session.sequence += 1
                session.updated_at = now
            session.starts_at, session.ends_at, session.all_day, session.title = (
                starts_at, ends_at, data.all_day, data.title.strip())
            if moved:
                changes.moved.append((before, Span.of(session)))
        else:
            session = ActivitySession(starts_at=starts_at, ends_at=ends_at, all_day=data.all_day,
                                      title=data.title.strip(), updated_at=now)
            activity.sessions.append(session)
            changes.added.append(Span.of(session))
    for session in existing[len(sessions):]:
        session.sequence += 1  # a cancellation must outrank the last invitation
        session.updated_at = now
        changes.removed.append(session)
        activity.sessions.remove(session)
    activity.starts_at = min(s.starts_at for s in activity.sessions)
    activity.ends_at = max(s.ends_at for s in activity.sessions)
    return changes


def create_activity(data: ActivityInput, created_by: Person | None = None) -> Activity:
    problems = check_activity_input(data)
    if problems:
        raise SchedulingError(" ".join(problems))
    activity = Activity(status=ActivityStatus.DRAFT, created_by_id=created_by.id if created_by else None)
    _apply(activity, data)
    db.session.add(activity)
    _sync_sessions(activity, data.sessions, place_changed=False)
    db.session.commit()
    return activity


@rolls_back_on(SchedulingError)
def update_activity(activity: Activity, data: ActivityInput) -> None:
    # Lock first, so that the capacity is checked against a confirmed count nobody can change until we commit.
    activity_id = activity.id
    db.session.commit()
    lock_seats(activity_id)
    problems = check_activity_input(data, existing=activity)
    if problems:
        raise SchedulingError(" ".join(problems))  # rolls_back_on releases the lock
    details = _apply(activity, data)
    changes = _sync_sessions(activity, data.sessions, place_changed=bool(details))
    changes.details = details
    activity.updated_at = utcnow()
    if activity.status == ActivityStatus.PUBLISHED and changes:
        fanout.queue_changed(activity, changes)  # one job: a worker mails everyone, after this commits
    if changes:
        events.activity_updated.send(activity)
    # More seats or a larger quota may let people off the waitlist.
    promote_waitlist(activity)
    db.session.commit()


def set_status(activity: Activity, status: ActivityStatus) -> None:
    allowed = {
        ActivityStatus.DRAFT: {ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED},
        ActivityStatus.PUBLISHED: {ActivityStatus.CANCELLED, ActivityStatus.COMPLETED, ActivityStatus.DRAFT},
        ActivityStatus.CANCELLED: {ActivityStatus.PUBLISHED},
        ActivityStatus.COMPLETED: set(),
    }
    if status not in allowed[activity.status]:
        raise SchedulingError(_("This activity cannot go from %(old)s to %(new)s.",
                                old=status_label(activity.status), new=status_label(status)))
    activity_id = activity.id
    db.session.commit()
    lock_seats(activity_id)  # no registration can slip in between this check and the change
    db.session.refresh(activity)
    if status == ActivityStatus.DRAFT and db.session.scalar(select(exists().where(
            Registration.activity_id == activity_id, Registration.state.in_(ACTIVE_STATES)))):
        db.session.rollback()
        raise SchedulingError(_("People have registered: cancel the activity instead of unpublishing it."))
    was_published, was_cancelled = (activity.status == ActivityStatus.PUBLISHED,
                                    activity.status == ActivityStatus.CANCELLED)
    old_status = activity.status
    activity.status = status
    activity.updated_at = utcnow()
    if status == ActivityStatus.PUBLISHED and activity.published_at is None:
        activity.published_at = activity.updated_at
    for session in activity.sessions:
        session.sequence += 1
        session.updated_at = activity.updated_at
    if status == ActivityStatus.CANCELLED and was_published:
        fanout.queue_cancelled(activity)
    elif status == ActivityStatus.PUBLISHED and was_cancelled:
        fanout.queue_changed(activity, ActivityChanges(reinstated=True))
    events.activity_status_changed.send(activity, old=old_status, new=status)
    db.session.commit()


def activity_input(activity: Activity, shift_days: int = 0, **overrides) -> ActivityInput:
    """The activity as its edit form would send it back, dates moved by `shift_days` (local clock times kept)."""
    shift = timedelta(days=shift_days)
    sessions = []
    for session in activity.sessions:
        start, end = session.local_start, session.local_end
        if session.all_day:
            end = end - timedelta(days=1)  # stored as local midnight after the last day
        sessions.append(SessionInput(
            start_date=start.date() + shift, end_date=end.date() + shift,
            start_time=None if session.all_day else start.time(), end_time=None if session.all_day else end.time(),
            all_day=session.all_day, title=session.title, start_fold=start.fold, end_fold=end.fold))
    values = dict(
        title=activity.title, modality=activity.modality, timezone=activity.timezone, sessions=tuple(sessions),
        description_md=activity.description_md, programme_id=activity.programme_id,
        languages=tuple(activity.languages), audience=activity.audience,
        topic_ids=tuple(t.id for t in activity.topics), host_parliament_id=activity.host_parliament_id,
        invited_parliament_ids=tuple(p.id for p in activity.invited_parliaments),
        trainer_ids=tuple(p.id for p in activity.trainers), venue_name=activity.venue_name,
        venue_address=activity.venue_address, venue_city=activity.venue_city, venue_country=activity.venue_country,
        online_url=activity.online_url, capacity=activity.capacity,
        quota_per_parliament=activity.quota_per_parliament,
        opposition_target_percent=activity.opposition_target_percent,
        registration_opens_at=activity.registration_opens_at + shift if activity.registration_opens_at else None,
        registration_closes_at=activity.registration_closes_at + shift if activity.registration_closes_at else None,
        approval_required=activity.approval_required, course_id=activity.course_id,
        prerequisite_course_id=activity.prerequisite_course_id)
    values.update(overrides)
    return ActivityInput(**values)


def clone_activity(activity: Activity, shift_days: int, created_by: Person | None = None) -> Activity:
    """A draft copy with every session moved by `shift_days`, keeping local clock times."""
    return create_activity(activity_input(activity, shift_days), created_by)


def status_label(status: ActivityStatus | str) -> str:
    return str(ActivityStatus(status).label)


def state_label(state: RegistrationState | str) -> str:
    return str(RegistrationState(state).label)
