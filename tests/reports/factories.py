"""Activities that have taken place, with attendance, built directly (the services refuse past dates)."""
from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from elearn.extensions import db
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Modality,
    Registration,
    RegistrationState,
)

_counter = itertools.count(1)
UTC = ZoneInfo("UTC")


def make_held_activity(sessions: list[tuple[datetime, datetime]] | None = None, *, all_day: bool = False,
                       timezone: str = "Europe/Paris", programme=None, modality: Modality = Modality.SEMINAR,
                       topics=(), status: ActivityStatus = ActivityStatus.COMPLETED, **values) -> Activity:
    """`sessions` as local (start, end) datetimes in `timezone`; all-day ones from midnight to midnight."""
    zone = ZoneInfo(timezone)
    n = next(_counter)
    activity = Activity(title=values.pop("title", f"Held activity {n}"), modality=modality, timezone=timezone,
                        status=status, languages=["en"], programme_id=programme.id if programme else None,
                        topics=list(topics), **values)
    activity.sessions = [ActivitySession(starts_at=start.replace(tzinfo=zone).astimezone(UTC),
                                         ends_at=end.replace(tzinfo=zone).astimezone(UTC), all_day=all_day)
                         for start, end in sessions]
    activity.starts_at = min(s.starts_at for s in activity.sessions)
    activity.ends_at = max(s.ends_at for s in activity.sessions)
    db.session.add(activity)
    db.session.commit()
    return activity


def attend(activity: Activity, person, *marks: AttendanceStatus) -> Registration:
    """A confirmed registration with one mark per session, in order (fewer marks: later sessions unmarked)."""
    registration = Registration(activity_id=activity.id, person_id=person.id, state=RegistrationState.CONFIRMED)
    db.session.add(registration)
    for session, mark in zip(activity.sessions, marks, strict=False):
        registration.attendance.append(Attendance(session_id=session.id, status=mark))
    db.session.commit()
    return registration
