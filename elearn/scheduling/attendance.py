"""Presence at each session, and the hours it adds up to."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.models import ActivitySession, Attendance, AttendanceStatus, Registration, RegistrationState


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
