"""Demo mentoring meetings: held meetings behind every active or ended pair the demo has, and two to come for
each active one. Written as rows (no mail goes out); a pair that already has meetings is left as it is."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.i18n import valid_timezones
from elearn.mentoring.models import MeetingStatus, MentoringMeeting, MentoringPair, PairStatus

AGENDAS = ("Introductions; what the mentee wants from the pairing",
           "Preparing questions to the government",
           "How a committee report is drafted and adopted",
           "Working with the parliamentary staff on amendments",
           "Review of the objectives so far")
EVERY = timedelta(days=21)
PAST, COMING = 4, 2


def _meeting(pair: MentoringPair, day: date, number: int, status: MeetingStatus) -> MentoringMeeting:
    zone_name = pair.mentor.timezone if pair.mentor.timezone in valid_timezones() else "UTC"
    zone = ZoneInfo(zone_name)
    starts_at = datetime.combine(day, time(10 if number % 2 else 15), zone).astimezone(timezone.utc)
    online = number % 3 != 2  # most meetings are online; every third one in person
    meeting = MentoringMeeting(pair=pair, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), timezone=zone_name,
                            online_url=f"https://meet.example.org/mentoring-{pair.id}" if online else "",
                            place="" if online else "Parliament library, reading room", status=status,
                            agenda=AGENDAS[number % len(AGENDAS)], scheduled_by=pair.mentor if number % 2 else pair.mentee)
    db.session.add(meeting)
    return meeting


def seed_mentoring_meetings() -> int:
    """Add the meetings; returns how many were added."""
    today = utcnow().date()
    pairs = db.session.scalars(select(MentoringPair).where(
        MentoringPair.status.in_([PairStatus.ACTIVE, PairStatus.ENDED]), ~MentoringPair.meetings.any())
        .order_by(MentoringPair.id)).all()
    added = []
    for pair in pairs:
        last = (pair.ended_at.date() if pair.ended_at else pair.ends_on) if pair.status == PairStatus.ENDED else today
        last = min(last or today, today - timedelta(days=1))
        first = pair.starts_on or last - EVERY * PAST
        days = [day for day in (last - EVERY * n for n in range(PAST)) if day >= first][::-1] or [last]
        added += [_meeting(pair, day, number, MeetingStatus.HELD) for number, day in enumerate(days)]
        if pair.status == PairStatus.ACTIVE:
            added += [_meeting(pair, today + timedelta(days=7) + EVERY * n, len(days) + n, MeetingStatus.SCHEDULED)
                      for n in range(COMING)]
    db.session.commit()
    return len(added)
