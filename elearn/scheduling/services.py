"""Scheduling rules: activities, their sessions, seats, waitlists and attendance. No HTTP here."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from elearn.access import Role, has_role
from elearn.content import render_markdown
from elearn.database import rows_by_ids, utcnow
from elearn.extensions import db
from elearn.learning.models import Enrolment
from elearn.mail.services import queue_mail
from elearn.notifications import itip
from elearn.people.models import Parliament, Person, PersonKind
from elearn.people.services import valid_timezones
from elearn.scheduling.display import format_span, session_lines
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Audience,
    Modality,
    Registration,
    RegistrationState,
)
from elearn.topics import Topic
from elearn.urls import absolute_url

ACTIVE_STATES = (RegistrationState.REQUESTED, RegistrationState.CONFIRMED, RegistrationState.WAITLISTED)


class SchedulingError(Exception):
    """A scheduling request that breaks a rule; the message is for the user."""


# Sessions -------------------------------------------------------------------

@dataclass(frozen=True)
class SessionInput:
    """A session as a trainer types it: local dates and times in the activity's timezone."""

    start_date: date
    end_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    all_day: bool = False
    title: str = ""


def session_instants(data: SessionInput, timezone: str) -> tuple[datetime, datetime]:
    """The UTC start and end of a session typed in local time."""
    zone = ZoneInfo(timezone)
    end_date = data.end_date or data.start_date
    if data.all_day:
        if end_date < data.start_date:
            raise SchedulingError(_("A session cannot end before it starts."))
        start = datetime.combine(data.start_date, time(0), zone)
        end = datetime.combine(end_date + timedelta(days=1), time(0), zone)
    else:
        if data.start_time is None or data.end_time is None:
            raise SchedulingError(_("Give a start and an end time, or mark the session as all-day."))
        start = datetime.combine(data.start_date, data.start_time, zone)
        end = datetime.combine(end_date, data.end_time, zone)
        if end <= start:
            raise SchedulingError(_("A session cannot end before it starts."))
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


# Activities -----------------------------------------------------------------

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
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    approval_required: bool = False
    course_id: int | None = None
    prerequisite_course_id: int | None = None


def check_activity_input(data: ActivityInput, existing: Activity | None = None) -> list[str]:
    problems: list[str] = []
    if not data.title.strip():
        problems.append(_("Give the activity a title."))
    if data.timezone not in valid_timezones():
        problems.append(_("Unknown timezone “%(tz)s”. Use a name such as Europe/Paris.", tz=data.timezone))
    if not data.sessions:
        problems.append(_("An activity needs at least one session."))
    elif data.timezone in valid_timezones():
        for number, session in enumerate(data.sessions, start=1):
            try:
                session_instants(session, data.timezone)
            except SchedulingError as error:
                problems.append(_("Session %(n)d: %(problem)s", n=number, problem=str(error)))
    if data.capacity < 1:
        problems.append(_("The capacity must be at least 1."))
    if data.quota_per_parliament is not None and data.quota_per_parliament < 1:
        problems.append(_("A quota per parliament must be at least 1."))
    if (data.registration_opens_at and data.registration_closes_at
            and data.registration_closes_at <= data.registration_opens_at):
        problems.append(_("Registration must close after it opens."))
    if data.online_url and not data.online_url.startswith(("https://", "http://")):
        problems.append(_("The online link must start with https://."))
    if existing is not None:
        confirmed = confirmed_count(existing)
        if data.capacity < confirmed:
            problems.append(_("The capacity cannot be below the %(n)d people already confirmed.", n=confirmed))
    return problems


def _by_ids(model, ids) -> list:
    rows = rows_by_ids(model, ids)
    if rows is None:
        raise SchedulingError(_("Some of the chosen items no longer exist."))
    return rows


def _place(activity: Activity) -> str:
    return ", ".join(part for part in (activity.venue_name, activity.venue_address, activity.venue_city,
                                       activity.venue_country) if part)


def _details(activity: Activity) -> dict[str, str]:
    """What participants are told about when it changes (besides times): name, place, online link."""
    return {"title": activity.title, "place": _place(activity), "online": activity.online_url}


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


@dataclass(frozen=True)
class Span:
    """A session's time as it was or is: kept to tell participants "old → new"."""

    starts_at: datetime
    ends_at: datetime
    all_day: bool
    title: str = ""

    @classmethod
    def of(cls, session: ActivitySession) -> "Span":
        return cls(session.starts_at, session.ends_at, session.all_day, session.title)


@dataclass
class ActivityChanges:
    """What changed in an edit, as instants and values; each recipient reads it in their timezone and language."""

    details: list[tuple[str, str, str]] = field(default_factory=list)  # (title|place|online, old, new)
    moved: list[tuple[Span, Span]] = field(default_factory=list)
    added: list[Span] = field(default_factory=list)
    # Sessions deleted by the edit (SEQUENCE already raised): calendars get a CANCEL for them.
    removed: list[ActivitySession] = field(default_factory=list)
    reinstated: bool = False

    def __bool__(self) -> bool:
        return bool(self.details or self.moved or self.added or self.removed or self.reinstated)


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


def update_activity(activity: Activity, data: ActivityInput) -> None:
    # Lock first, so that the capacity is checked against a confirmed count nobody can change until we commit.
    activity_id = activity.id
    db.session.commit()
    _lock_seats(activity_id)
    problems = check_activity_input(data, existing=activity)
    if problems:
        db.session.rollback()
        raise SchedulingError(" ".join(problems))
    details = _apply(activity, data)
    changes = _sync_sessions(activity, data.sessions, place_changed=bool(details))
    changes.details = details
    activity.updated_at = utcnow()
    if activity.status == ActivityStatus.PUBLISHED and changes:
        _notify_changed(activity, changes)
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
    _lock_seats(activity_id)  # no registration can slip in between this check and the change
    db.session.refresh(activity)
    if status == ActivityStatus.DRAFT and any(r.state in ACTIVE_STATES for r in activity.registrations):
        db.session.rollback()
        raise SchedulingError(_("People have registered: cancel the activity instead of unpublishing it."))
    was_published, was_cancelled = (activity.status == ActivityStatus.PUBLISHED,
                                    activity.status == ActivityStatus.CANCELLED)
    activity.status = status
    activity.updated_at = utcnow()
    if status == ActivityStatus.PUBLISHED and activity.published_at is None:
        activity.published_at = activity.updated_at
    for session in activity.sessions:
        session.sequence += 1
        session.updated_at = activity.updated_at
    if status == ActivityStatus.CANCELLED and was_published:
        _notify_cancelled(activity)
    elif status == ActivityStatus.PUBLISHED and was_cancelled:
        _notify_changed(activity, ActivityChanges(reinstated=True))
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
            all_day=session.all_day, title=session.title))
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
        registration_opens_at=activity.registration_opens_at + shift if activity.registration_opens_at else None,
        registration_closes_at=activity.registration_closes_at + shift if activity.registration_closes_at else None,
        approval_required=activity.approval_required, course_id=activity.course_id,
        prerequisite_course_id=activity.prerequisite_course_id)
    values.update(overrides)
    return ActivityInput(**values)


def clone_activity(activity: Activity, shift_days: int, created_by: Person | None = None) -> Activity:
    """A draft copy with every session moved by `shift_days`, keeping local clock times."""
    return create_activity(activity_input(activity, shift_days), created_by)


def status_label(status: ActivityStatus) -> str:
    return {ActivityStatus.DRAFT: _("draft"), ActivityStatus.PUBLISHED: _("published"),
            ActivityStatus.CANCELLED: _("cancelled"), ActivityStatus.COMPLETED: _("completed")}[status]


def state_label(state: RegistrationState | str) -> str:
    return {RegistrationState.REQUESTED: _("awaiting approval"), RegistrationState.CONFIRMED: _("confirmed"),
            RegistrationState.WAITLISTED: _("on the waiting list"), RegistrationState.DECLINED: _("declined"),
            RegistrationState.WITHDRAWN: _("withdrawn")}[RegistrationState(state)]


# Seats ----------------------------------------------------------------------

def _lock_seats(activity_id: int) -> None:
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


def _quota_allows(activity: Activity, person: Person) -> bool:
    if activity.quota_per_parliament is None or person.parliament_id is None:
        return True
    return confirmed_count(activity, person.parliament_id) < activity.quota_per_parliament


def _next_waitlist_position(activity: Activity) -> int:
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


def eligibility_problem(activity: Activity, person: Person, now: datetime | None = None) -> str | None:
    """Why `person` may not register for `activity` now, or None."""
    now = now or utcnow()
    if activity.status == ActivityStatus.CANCELLED:
        return _("This activity is cancelled.")
    if activity.status != ActivityStatus.PUBLISHED:
        return _("This activity is not open for registration.")
    if activity.registration_opens_at and now < activity.registration_opens_at:
        return _("Registration has not opened yet.")
    if activity.registration_closes_at and now >= activity.registration_closes_at:
        return _("Registration is closed.")
    if activity.ends_at and activity.ends_at <= now:
        return _("This activity is over.")
    if activity.audience == Audience.MPS and person.kind != PersonKind.MP:
        return _("This activity is for members of parliament.")
    if activity.audience == Audience.STAFF and person.kind != PersonKind.STAFF:
        return _("This activity is for parliamentary staff.")
    invited = {p.id for p in activity.invited_parliaments}
    if invited and person.parliament_id not in invited:
        return _("Your parliament is not invited to this activity.")
    if activity.prerequisite_course_id and not has_completed(person, activity.prerequisite_course_id):
        return _("Complete the course “%(course)s” first: it prepares this activity.",
                 course=activity.prerequisite_course.title_in(str(get_locale())))
    return None


def has_completed(person: Person, course_id: int) -> bool:
    return db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.person_id == person.id, Enrolment.course_id == course_id,
        Enrolment.completed_at.is_not(None))) > 0


@dataclass
class RegistrationOutcome:
    registration: Registration
    created: bool
    clashes: list[Activity] = field(default_factory=list)


def _set_state(registration: Registration, state: RegistrationState, *, position: int | None = None) -> None:
    registration.state = state
    registration.waitlist_position = position if state == RegistrationState.WAITLISTED else None
    registration.updated_at = utcnow()


def _seat_or_queue(activity: Activity, registration: Registration) -> None:
    # Every seat change ends with promote_waitlist, so anyone still waiting is
    # blocked by their parliament's quota: a newcomer who fits takes a free
    # seat without passing anyone who could have had it.
    if confirmed_count(activity) < activity.capacity and _quota_allows(activity, registration.person):
        _set_state(registration, RegistrationState.CONFIRMED)
    else:
        _set_state(registration, RegistrationState.WAITLISTED, position=_next_waitlist_position(activity))


def register(activity_id: int, person: Person, *, nominated_by: Person | None = None,
             now: datetime | None = None) -> RegistrationOutcome:
    """Ask for a seat: confirmed, requested (approval needed) or waitlisted. Twice is harmless."""
    db.session.commit()  # start a fresh transaction whose first statement is the lock
    _lock_seats(activity_id)
    activity = db.session.get(Activity, activity_id, populate_existing=True)
    if activity is None:
        db.session.rollback()
        raise SchedulingError(_("This activity does not exist."))
    problem = eligibility_problem(activity, person, now)
    if problem:
        db.session.rollback()
        raise SchedulingError(problem)
    registration = db.session.scalar(select(Registration).where(
        Registration.activity_id == activity.id, Registration.person_id == person.id))
    if registration is not None and registration.state in ACTIVE_STATES:
        db.session.rollback()
        return RegistrationOutcome(registration, created=False)
    if registration is None:
        registration = Registration(activity=activity, person=person, state=RegistrationState.REQUESTED)
        db.session.add(registration)
    registration.nominated_by = nominated_by
    registration.trainer_message = ""
    if activity.approval_required:
        _set_state(registration, RegistrationState.REQUESTED)
    else:
        _seat_or_queue(activity, registration)
    db.session.flush()
    _notify(registration, nominated=nominated_by is not None)
    clashes = clashing_activities(person, activity)
    db.session.commit()
    return RegistrationOutcome(registration, created=True, clashes=clashes)


def nominate(activity_id: int, nominee: Person, focal_point: Person) -> RegistrationOutcome:
    """A focal point registers someone of their own parliament, within its quota."""
    if not has_role(focal_point, Role.FOCAL_POINT) or focal_point.parliament_id is None:
        raise SchedulingError(_("Only a focal point can nominate people."))
    if nominee.parliament_id != focal_point.parliament_id:
        raise SchedulingError(_("You can nominate only people of your own parliament."))
    activity = db.session.get(Activity, activity_id)
    if activity is not None and activity.quota_per_parliament is not None:
        held = db.session.scalar(select(func.count(Registration.id)).join(Person, Person.id == Registration.person_id)
                                 .where(Registration.activity_id == activity_id,
                                        Registration.state.in_((RegistrationState.CONFIRMED, RegistrationState.REQUESTED)),
                                        Person.parliament_id == focal_point.parliament_id))
        if held >= activity.quota_per_parliament:
            raise SchedulingError(_("Your parliament's quota of %(n)d seats is used.", n=activity.quota_per_parliament))
    return register(activity_id, nominee, nominated_by=focal_point)


def withdraw(registration: Registration) -> None:
    if registration.state not in ACTIVE_STATES:
        raise SchedulingError(_("This registration is no longer active."))
    registration_id, activity_id = registration.id, registration.activity_id
    db.session.commit()
    _lock_seats(activity_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    if registration.state not in ACTIVE_STATES:  # withdrawn or declined while we waited for the lock
        db.session.rollback()
        raise SchedulingError(_("This registration is no longer active."))
    had_seat = registration.state == RegistrationState.CONFIRMED
    _set_state(registration, RegistrationState.WITHDRAWN)
    db.session.flush()
    _notify(registration, had_seat=had_seat)
    promote_waitlist(registration.activity)
    db.session.commit()


def decide(registration: Registration, approve: bool, message: str = "") -> None:
    """A trainer approves (seat or waitlist) or declines a request, or removes someone."""
    problem = _decision_problem(registration, approve)
    if problem:
        raise SchedulingError(problem)
    registration_id, activity_id = registration.id, registration.activity_id
    db.session.commit()
    _lock_seats(activity_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    problem = _decision_problem(registration, approve)  # another trainer or the person may have acted meanwhile
    if problem:
        db.session.rollback()
        raise SchedulingError(problem)
    had_seat = registration.state == RegistrationState.CONFIRMED
    registration.trainer_message = message.strip()
    if approve:
        _seat_or_queue(registration.activity, registration)
    else:
        _set_state(registration, RegistrationState.DECLINED)
    db.session.flush()
    _notify(registration, had_seat=had_seat)
    if not approve:
        promote_waitlist(registration.activity)
    db.session.commit()


def _decision_problem(registration: Registration, approve: bool) -> str | None:
    if approve and registration.state != RegistrationState.REQUESTED:
        return _("Only a pending request can be approved.")
    if not approve and registration.state not in ACTIVE_STATES:
        return _("This registration is no longer active.")
    return None


def promote_waitlist(activity: Activity) -> list[Registration]:
    """Fill free seats from the waitlist in order, skipping people whose parliament is at quota.

    The caller holds the seat lock and commits.
    """
    promoted = []
    waiting = db.session.scalars(select(Registration).where(
        Registration.activity_id == activity.id, Registration.state == RegistrationState.WAITLISTED)
        .order_by(Registration.waitlist_position)).all()
    for registration in waiting:
        if confirmed_count(activity) >= activity.capacity:
            break
        if not _quota_allows(activity, registration.person):
            continue
        _set_state(registration, RegistrationState.CONFIRMED)
        db.session.flush()
        _notify(registration, promoted=True)
        promoted.append(registration)
    return promoted


# Clashes --------------------------------------------------------------------

def overlapping_sessions(sessions, *, person_id: int | None = None, trainer_id: int | None = None,
                         venue: tuple[str, str] | None = None, exclude_activity_id: int | None = None):
    """Sessions of other live activities that overlap any of `sessions`, for a person, a trainer or a venue."""
    if not sessions:
        return []
    overlap = db.or_(*[db.and_(ActivitySession.starts_at < s.ends_at, ActivitySession.ends_at > s.starts_at)
                       for s in sessions])
    statement = (select(ActivitySession).join(Activity)
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


# Attendance -----------------------------------------------------------------

def record_attendance(session: ActivitySession, marks: dict[int, AttendanceStatus]) -> None:
    """Record present/absent/excused for confirmed registrations (by registration id)."""
    confirmed = {r.id: r for r in session.activity.registrations if r.state == RegistrationState.CONFIRMED}
    unknown = set(marks) - set(confirmed)
    if unknown:
        raise SchedulingError(_("Attendance can be recorded only for confirmed participants."))
    existing = {a.registration_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id))}
    for registration_id, status in marks.items():
        mark = existing.get(registration_id)
        if mark is None:
            db.session.add(Attendance(registration_id=registration_id, session_id=session.id, status=status))
        else:
            mark.status, mark.recorded_at = status, utcnow()
    db.session.commit()


def hours_attended(registration: Registration) -> float:
    return round(sum(a.session.hours for a in registration.attendance if a.status == AttendanceStatus.PRESENT), 2)


# Notifications ----------------------------------------------------------------

def _registration_summary(registration: Registration, *, promoted: bool, nominated: bool) -> list[str]:
    """The sentences of a registration mail; rendered in the recipient's locale by queue_mail's caller."""
    lines = []
    if nominated and registration.nominated_by:
        lines.append(_("%(name)s, your parliament's focal point, has nominated you.",
                       name=registration.nominated_by.full_name))
    state = registration.state
    if state == RegistrationState.CONFIRMED:
        lines.append(_("A seat has become free and it is yours: you are now confirmed for this activity.")
                     if promoted else _("Your seat is confirmed."))
    elif state == RegistrationState.WAITLISTED:
        lines.append(_("The activity is full. You are on the waiting list at position %(n)d; we will write as "
                       "soon as a seat is yours.", n=waitlist_rank(registration)))
    elif state == RegistrationState.REQUESTED:
        lines.append(_("Your request is received. A trainer will review it and you will hear from us."))
    elif state == RegistrationState.DECLINED:
        lines.append(_("Your registration was declined."))
        if registration.trainer_message:
            lines.append(_("Message from the trainer: %(message)s", message=registration.trainer_message))
    else:
        lines.append(_("Your withdrawal is recorded; your seat goes to someone on the waiting list."))
    return lines


def _link(activity: Activity) -> str:
    return absolute_url("scheduling.activity", activity_id=activity.id)


def _notify(registration: Registration, *, promoted: bool = False, nominated: bool = False,
            had_seat: bool = False) -> None:
    """Mail the person about their registration's new state.

    A confirmed seat carries a calendar invitation (REQUEST); losing a confirmed
    seat (withdrawn, declined, removed) carries its cancellation (CANCEL).
    """
    person, activity = registration.person, registration.activity
    locale = person.preferred_language
    link = _link(activity)
    attachments, calendar = [], None
    if registration.state == RegistrationState.CONFIRMED:
        attachments.append(itip.invitation(activity, person, link=link, method=itip.REQUEST))
        calendar = "request"
    elif had_seat and registration.state in (RegistrationState.WITHDRAWN, RegistrationState.DECLINED):
        attachments.append(itip.invitation(activity, person, link=link, method=itip.CANCEL))
        calendar = "cancel"
    with force_locale(locale):
        summary = _registration_summary(registration, promoted=promoted, nominated=nominated)
    when = (session_lines(activity, zone=person.timezone, locale=locale)
            if registration.state == RegistrationState.CONFIRMED else [])
    queue_mail(to=person.email, template="registration_state", locale=locale,
               kind=f"registration_{registration.state.value}", attachments=attachments, person=person,
               activity=activity, registration=registration, promoted=promoted, summary=summary, when=when,
               place=_place(activity) if when else "", calendar=calendar, zone=person.timezone, link=link)


def describe_changes(changes: ActivityChanges, activity: Activity, person: Person) -> list[str]:
    """One sentence per change, "old → new", with times in the person's timezone; call under their locale."""
    locale, zone = person.preferred_language, ZoneInfo(person.timezone or "UTC")

    def when(span: Span) -> str:
        text = format_span(span.starts_at, span.ends_at, span.all_day, activity_zone=activity.zone, zone=zone,
                           locale=locale)
        return f"{span.title}: {text}" if span.title else text

    labels = {"title": _("Title"), "place": _("Place"), "online": _("Online link")}
    lines = []
    if changes.reinstated:
        lines.append(_("The activity is no longer cancelled: it takes place as planned."))
    for what, old, new in changes.details:
        lines.append(_("%(what)s: %(old)s → %(new)s", what=labels[what], old=old or _("none"), new=new or _("none")))
    for old, new in changes.moved:
        lines.append(_("Moved: %(old)s → %(new)s", old=when(old), new=when(new)))
    for span in changes.added:
        lines.append(_("New session: %(when)s", when=when(span)))
    for session in changes.removed:
        lines.append(_("Session cancelled: %(when)s", when=when(Span.of(session))))
    return lines


def _recipients(activity: Activity) -> list[Registration]:
    return [r for r in activity.registrations if r.state in ACTIVE_STATES]


def _notify_changed(activity: Activity, changes: ActivityChanges) -> None:
    """Tell everyone still registered what changed; confirmed people get the updated invitation."""
    link = _link(activity)
    for registration in _recipients(activity):
        person = registration.person
        attachments = []
        if registration.state == RegistrationState.CONFIRMED:
            attachments.append(itip.invitation(activity, person, link=link, method=itip.REQUEST))
            if changes.removed:
                attachments.append(itip.invitation(activity, person, link=link, method=itip.CANCEL,
                                                   sessions=changes.removed, cancelled=True, alternative=False))
        with force_locale(person.preferred_language):
            lines = describe_changes(changes, activity, person)
        queue_mail(to=person.email, template="activity_changed", locale=person.preferred_language,
                   attachments=attachments, person=person, activity=activity, registration=registration,
                   changes=lines, calendar="request" if attachments else None, zone=person.timezone,
                   place=_place(activity),
                   when=session_lines(activity, zone=person.timezone, locale=person.preferred_language),
                   link=link)


def _notify_cancelled(activity: Activity) -> None:
    link = _link(activity)
    for registration in _recipients(activity):
        person = registration.person
        attachments = []
        if registration.state == RegistrationState.CONFIRMED:
            attachments.append(itip.invitation(activity, person, link=link, method=itip.CANCEL, cancelled=True))
        queue_mail(to=person.email, template="activity_cancelled", locale=person.preferred_language,
                   attachments=attachments, person=person, activity=activity, registration=registration,
                   calendar="cancel" if attachments else None, link=link)
