"""What the check-in page shows: the session under way (or the next), its counts and the last scans."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from elearn.extensions import db
from elearn.onsite.checkin import next_session, session_under_way
from elearn.onsite.models import CheckInScan, ScanOutcome, Ticket
from elearn.people.models import Person
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationState,
)

RECENT_SCANS = 10


@dataclass(frozen=True)
class RecentScan:
    scanned_at: datetime
    outcome: ScanOutcome
    reason: str
    name: str  # "" for an unknown code or another activity's ticket


@dataclass(frozen=True)
class PageState:
    current: ActivitySession | None  # under way now (doors open included)
    upcoming: ActivitySession | None  # the next one, when none is under way
    doors_open_at: datetime | None  # the upcoming session's check-in opening
    checked_in: int  # present at the current session
    confirmed: int  # confirmed registrations of the activity
    recent: list[RecentScan]


def counts(activity: Activity, current: ActivitySession | None) -> tuple[int, int]:
    """(checked in at the current session, confirmed at the activity), in one query."""
    present = (select(func.count(Attendance.id)).where(Attendance.session_id == current.id,
                                                       Attendance.status == AttendanceStatus.PRESENT)
               .scalar_subquery() if current is not None else None)
    confirmed = select(func.count(Registration.id)).where(
        Registration.activity_id == activity.id, Registration.state == RegistrationState.CONFIRMED).scalar_subquery()
    checked_in, confirmed_count = db.session.execute(select(present if present is not None else 0, confirmed)).one()
    return checked_in, confirmed_count


def page_state(activity: Activity, now: datetime, doors_open: timedelta) -> PageState:
    sessions = list(activity.sessions)
    current = session_under_way(sessions, now, doors_open)
    upcoming = next_session(sessions, now) if current is None else None
    checked_in, confirmed = counts(activity, current)
    return PageState(current, upcoming, upcoming.starts_at - doors_open if upcoming else None,
                     checked_in=checked_in, confirmed=confirmed, recent=recent_scans(activity.id))


def count_now(activity: Activity, now: datetime, doors_open: timedelta) -> tuple[int, int] | None:
    """The page's running count as it stands after a batch; None when no session is under way."""
    current = session_under_way(list(activity.sessions), now, doors_open)
    return counts(activity, current) if current is not None else None


def recent_scans(activity_id: int, limit: int = RECENT_SCANS) -> list[RecentScan]:
    """The last scans received for the activity, newest first, with the holder's name when it is theirs."""
    rows = db.session.execute(
        select(CheckInScan.scanned_at, CheckInScan.outcome, CheckInScan.reason, Person.full_name)
        .outerjoin(Ticket, Ticket.id == CheckInScan.ticket_id)
        .outerjoin(Registration, and_(Registration.id == Ticket.registration_id,
                                      Registration.activity_id == CheckInScan.activity_id))
        .outerjoin(Person, Person.id == Registration.person_id)
        .where(CheckInScan.activity_id == activity_id)
        .order_by(CheckInScan.id.desc()).limit(limit))
    return [RecentScan(scanned_at, outcome, reason, name or "") for scanned_at, outcome, reason, name in rows]
