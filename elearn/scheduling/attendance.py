"""Presence at each session, and the hours it adds up to."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.scheduling.display import viewer_span
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.events import attendance_recorded
from elearn.scheduling.models import ActivitySession, Attendance, AttendanceStatus, Registration, RegistrationState


def attendance_problem(session: ActivitySession, now: datetime | None = None) -> str | None:
    """Why attendance cannot be taken for `session` yet, or None once it has started."""
    if session.starts_at > (now or utcnow()):
        # Nobody can have been present at a session that has not begun: marks made ahead would count hours.
        return _("Attendance can be recorded once the session has started (%(when)s).", when=viewer_span(session))
    return None


def record_attendance(session: ActivitySession, marks: dict[int, AttendanceStatus],
                      now: datetime | None = None) -> None:
    """Record present/absent/excused for confirmed registrations (by registration id)."""
    problem = attendance_problem(session, now)
    if problem:
        raise SchedulingError(problem)
    if not marks:
        return
    # Only the registrations marked (one page of the sheet), not every participant of the activity.
    confirmed = set(db.session.scalars(select(Registration.id).where(
        Registration.id.in_(marks), Registration.activity_id == session.activity_id,
        Registration.state == RegistrationState.CONFIRMED)))
    unknown = set(marks) - confirmed
    if unknown:
        raise SchedulingError(_("Attendance can be recorded only for confirmed participants."))
    existing = {a.registration_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id, Attendance.registration_id.in_(marks)))}
    for registration_id, status in marks.items():
        mark = existing.get(registration_id)
        if mark is None:
            db.session.add(Attendance(registration_id=registration_id, session_id=session.id, status=status))
        else:
            mark.status, mark.recorded_at = status, utcnow()
    attendance_recorded.send(session, registration_ids=sorted(marks))
    db.session.commit()


def hours_attended(registration: Registration) -> float:
    return round(sum(a.session.hours for a in registration.attendance if a.status == AttendanceStatus.PRESENT), 2)
