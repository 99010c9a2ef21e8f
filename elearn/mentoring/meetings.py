"""Mentoring meetings: schedule, change, cancel and mark held; who may; the timezones a scheduler chooses from.

Times are typed in the scheduler's chosen timezone and stored in UTC with that zone beside them. Each change
a calendar must take raises SEQUENCE and commits with the mails it causes (meetings_notices): both people get
a REQUEST when a meeting is scheduled or moved, a CANCEL when it is called off. A pair that stops being active
(ended, withdrawn) takes its meetings still to come with it, cancelled the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from elearn.database import utcnow
from elearn.errors import UserError
from elearn.extensions import db
from elearn.i18n import valid_timezones
from elearn.mentoring import meetings_notices as notices
from elearn.mentoring.models import MeetingStatus, MentoringMeeting, MentoringPair, PairStatus
from elearn.mentoring.rules import can_schedule, is_pair_trainer, is_party
from elearn.people.models import Person
from elearn.scheduling.wall_clock import clock_change, repeated_time_message, skipped_time_message
from elearn.urls import checked_url

LONGEST = timedelta(hours=12)
AGENDA_MAX = 5000
PLACE_MAX = 300


class MeetingError(UserError):
    """A meeting refused; `field` names the form field at fault."""


@dataclass(frozen=True)
class MeetingInput:
    """`day`, `start_time` and `end_time` are the clock in `timezone` (the meeting ends the day it starts)."""

    day: date
    start_time: time
    end_time: time
    timezone: str
    online_url: str = ""
    place: str = ""
    agenda: str = ""


def may_change(person: Person | None, meeting: MentoringMeeting) -> bool:
    """Move or cancel: whoever may schedule for the pair, while the meeting is still only scheduled."""
    return meeting.status == MeetingStatus.SCHEDULED and can_schedule(person, meeting.pair)


def may_record(person: Person | None, meeting: MentoringMeeting, now: datetime | None = None) -> bool:
    """Mark held: either side or the pair's trainer, once the meeting has begun, even after the pair ended."""
    pair = meeting.pair
    return (meeting.status == MeetingStatus.SCHEDULED and meeting.starts_at <= (now or utcnow())
            and pair.status in (PairStatus.ACTIVE, PairStatus.ENDED)
            and (is_party(person, pair) or is_pair_trainer(person, pair)))


def timezone_choices(pair: MentoringPair, person: Person, current: str | None = None) -> list[str]:
    """The scheduler's own zone first, then the two people's (and the meeting's, when editing), each once."""
    zones = [current, person.timezone, pair.mentor.timezone, pair.mentee.timezone, "UTC"]
    chosen: list[str] = []
    for zone in zones:
        if zone and zone in valid_timezones() and zone not in chosen:
            chosen.append(zone)
    return chosen


def _instant(day: date, clock: time, zone: ZoneInfo, field: str) -> datetime:
    change = clock_change(day, clock, zone)
    if change is not None:
        message = (skipped_time_message(day, clock, zone, change) if change.skipped
                   else repeated_time_message(day, clock, zone, change, choose=False))
        raise MeetingError(message, field)
    return datetime.combine(day, clock, zone).astimezone(timezone.utc)


def _checked(data: MeetingInput, allowed_zones: list[str]) -> dict:
    if data.timezone not in allowed_zones:
        raise MeetingError(_("Choose one of the timezones offered."), "timezone")
    zone = ZoneInfo(data.timezone)
    starts_at = _instant(data.day, data.start_time, zone, "start_time")
    ends_at = _instant(data.day, data.end_time, zone, "end_time")
    if ends_at <= starts_at:
        raise MeetingError(_("The end must be after the start."), "end_time")
    if ends_at - starts_at > LONGEST:
        raise MeetingError(_("A meeting lasts at most 12 hours."), "end_time")
    online_url, place, agenda = data.online_url.strip(), " ".join(data.place.split()), data.agenda.strip()
    if online_url:
        try:
            online_url = checked_url(online_url)
        except ValueError:
            raise MeetingError(_("Give a web address starting with https:// (or http://)."), "online_url") from None
    if not online_url and not place:
        raise MeetingError(_("Give an online link, a place, or both."), "place")
    if len(place) > PLACE_MAX:
        raise MeetingError(_("At most %(n)d characters.", n=PLACE_MAX), "place")
    if len(agenda) > AGENDA_MAX:
        raise MeetingError(_("At most %(n)d characters.", n=AGENDA_MAX), "agenda")
    return dict(starts_at=starts_at, ends_at=ends_at, timezone=data.timezone, online_url=online_url, place=place,
                agenda=agenda)


def schedule(pair: MentoringPair, data: MeetingInput, actor: Person) -> MentoringMeeting:
    """Add a meeting to an active pair; both people get an invitation. Commits."""
    if not can_schedule(actor, pair):
        raise MeetingError(_("Meetings can be scheduled only while the pairing is active."))
    meeting = MentoringMeeting(pair=pair, scheduled_by=actor, **_checked(data, timezone_choices(pair, actor)))
    db.session.add(meeting)
    db.session.flush()
    notices.tell_both(meeting, notices.REQUEST)
    db.session.commit()
    return meeting


# What a calendar shows and must be told of again: a move or a new place or link.
MOVES = ("starts_at", "ends_at", "timezone", "online_url", "place")


def update(meeting: MentoringMeeting, data: MeetingInput, actor: Person) -> bool:
    """Change a scheduled meeting; both people get an updated invitation if its time, place or link moved.
    Returns whether anything changed. Commits."""
    if not may_change(actor, meeting):
        raise MeetingError(_("This meeting can no longer be changed."))
    values = _checked(data, timezone_choices(meeting.pair, actor, meeting.timezone))
    changed = {name for name, value in values.items() if getattr(meeting, name) != value}
    if not changed:
        return False
    for name in changed:
        setattr(meeting, name, values[name])
    meeting.sequence += 1  # the agenda is in DESCRIPTION: a calendar keeps an event whose SEQUENCE did not grow
    meeting.updated_at = utcnow()
    db.session.flush()
    if changed & set(MOVES):
        notices.tell_both(meeting, notices.REQUEST)
    db.session.commit()
    return True


def _call_off(meeting: MentoringMeeting, now: datetime) -> None:
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.updated_at = now
    if meeting.ends_at > now:  # a past meeting that did not take place concerns no calendar's future
        notices.tell_both(meeting, notices.CANCEL)


def cancel(meeting: MentoringMeeting, actor: Person) -> None:
    """Call a scheduled meeting off; both people get a cancellation if it was still to come. Commits."""
    if not may_change(actor, meeting):
        raise MeetingError(_("This meeting can no longer be cancelled."))
    _call_off(meeting, utcnow())
    db.session.commit()


def mark_held(meeting: MentoringMeeting, actor: Person, now: datetime | None = None) -> None:
    """Record that the meeting took place (the participation reports count held meetings). Commits."""
    if not may_record(actor, meeting, now):
        raise MeetingError(_("Only a meeting that has begun, and is neither cancelled nor already held, can be "
                             "marked held."))
    meeting.status = MeetingStatus.HELD
    meeting.updated_at = now or utcnow()
    db.session.commit()


def pair_meetings(pair: MentoringPair):
    """The pair's meetings, the latest first (a statement, for a page to paginate)."""
    return (select(MentoringMeeting).where(MentoringMeeting.pair_id == pair.id)
            .order_by(MentoringMeeting.starts_at.desc(), MentoringMeeting.id.desc()))


def upcoming_and_recent(pair: MentoringPair, now: datetime | None = None, recent: int = 3) -> tuple[list, list]:
    """For the pair page: the meetings still to come (soonest first) and the last `recent` past ones."""
    now = now or utcnow()
    base = select(MentoringMeeting).where(MentoringMeeting.pair_id == pair.id)
    coming = db.session.scalars(base.where(MentoringMeeting.ends_at > now)
                                .order_by(MentoringMeeting.starts_at, MentoringMeeting.id).limit(20)).all()
    past = db.session.scalars(base.where(MentoringMeeting.ends_at <= now)
                              .order_by(MentoringMeeting.starts_at.desc(), MentoringMeeting.id.desc())
                              .limit(recent)).all()
    return list(coming), list(past)


@event.listens_for(db.session, "before_flush")
def _follow_the_pair(session: Session, flush_context, instances) -> None:
    """A pair that stops being active (ended, withdrawn) calls off its meetings still to come, with a CANCEL to
    both people: the pairs' services need not know of meetings."""
    # Any status set but active: the old value is not always loaded (an expired pair), and a pair that was not
    # active has no meetings to come anyway.
    leaving = [obj for obj in session.dirty if isinstance(obj, MentoringPair) and obj.id is not None
               and inspect(obj).attrs.status.history.added and obj.status != PairStatus.ACTIVE]
    if not leaving:
        return
    now = utcnow()
    for pair in leaving:
        for meeting in pair.meetings:
            if meeting.status == MeetingStatus.SCHEDULED and meeting.ends_at > now:
                _call_off(meeting, now)
