"""Mentoring meetings as calendar events: one VEVENT builder for the personal feeds and the mailed invitations (iTIP).

Built on scheduling.ical (VTIMEZONEs, the iTIP frame, the same organiser and
attendee), so a meeting has the same UID, SEQUENCE, LOCATION and DESCRIPTION
in a person's feed and in their mail, and its UID (`mentoring-meeting-<id>@host`)
never meets a session's or an agenda item's. Nothing here reads the clock or the
request. A meeting is in the feeds of its pair's two people only (not the
trainer's: they are not expected at it).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Callable, Iterable

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText, vUri
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, contains_eager

from elearn.extensions import db
from elearn.mentoring.models import MeetingStatus, MentoringMeeting, MentoringPair
from elearn.people.models import Person
from elearn.scheduling.display import Wording
from elearn.scheduling.ical import CANCEL, ITIP_PRODID, REQUEST, Invitation, add_events, timed_event
from elearn.urls import safe_link


def meeting_uid(meeting_id: int, host: str) -> str:
    return f"mentoring-meeting-{meeting_id}@{host}"


@lru_cache(maxsize=8)
def meeting_title_template(locale: str) -> str:
    """“Mentoring meeting with %(name)s” in `locale`, translated once per process."""
    with force_locale(locale):
        return _("Mentoring meeting with %(name)s")


@dataclass(frozen=True)
class MeetingEvent:
    """What one person's calendar shows of a meeting (the other side's name is in the title)."""

    meeting_id: int
    other_name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    place: str
    online_url: str
    agenda: str
    sequence: int
    changed_at: datetime
    cancelled: bool

    @classmethod
    def of(cls, meeting: MentoringMeeting, viewer_id: int) -> "MeetingEvent":
        pair = meeting.pair
        other = pair.mentee if viewer_id == pair.mentor_id else pair.mentor
        return cls(meeting_id=meeting.id, other_name=other.full_name, starts_at=meeting.starts_at,
                   ends_at=meeting.ends_at, timezone=meeting.timezone, place=meeting.place,
                   online_url=safe_link(meeting.online_url, what=f"online link of mentoring meeting {meeting.id}"),
                   agenda=meeting.agenda.strip(), sequence=meeting.sequence, changed_at=meeting.updated_at,
                   cancelled=meeting.status == MeetingStatus.CANCELLED)


def build_meeting_event(data: MeetingEvent, *, host: str, page: str, wording: Wording, locale: str,
                        stamp: datetime | None = None) -> Event:
    """The VEVENT of one meeting for one of its two people. `page`: the pair's meetings page."""
    title = meeting_title_template(locale) % {"name": data.other_name}
    event = timed_event(uid=meeting_uid(data.meeting_id, host), changed_at=data.changed_at, stamp=stamp,
                        sequence=data.sequence,
                        summary=f"{wording.cancelled_prefix} {title}" if data.cancelled else title,
                        starts_at=data.starts_at, ends_at=data.ends_at, zone_name=data.timezone,
                        cancelled=data.cancelled)
    where = data.place or (wording.online if data.online_url else "")
    if where:
        event.add("location", where)
    lines = [data.agenda] if data.agenda else []
    if data.online_url:
        event.add("url", vUri(data.online_url))
        event.add("conference", vUri(data.online_url), parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
        lines.append(f"{wording.join} {data.online_url}")
    else:
        event.add("url", vUri(page))
    lines.append(f"{wording.details} {page}")
    event.add("description", "\n\n".join(lines))
    return event


def build_meeting_itip(data: MeetingEvent, invitation: Invitation, locale: str) -> bytes:
    """One iTIP message (REQUEST or CANCEL) for one of the two people."""
    if invitation.method not in (REQUEST, CANCEL):
        raise ValueError(f"unknown iTIP method {invitation.method!r}")
    calendar = Calendar()
    calendar.add("prodid", ITIP_PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", invitation.method)
    event = build_meeting_event(data, host=invitation.host, page=invitation.page, wording=invitation.wording,
                                locale=locale, stamp=invitation.now)
    if invitation.method == CANCEL:
        event["STATUS"] = vText("CANCELLED")  # the meeting is off for both
    event.add("organizer", vCalAddress(f"mailto:{invitation.organizer_address}"),
              parameters={"CN": vText(invitation.organizer_name)})
    attendee = {"CN": vText(invitation.attendee_name), "ROLE": "REQ-PARTICIPANT", "CUTYPE": "INDIVIDUAL"}
    if invitation.method == REQUEST:
        attendee.update(PARTSTAT="ACCEPTED", RSVP="FALSE")  # agreed on the site; no reply is read
    event.add("attendee", vCalAddress(f"mailto:{invitation.attendee_address}"), parameters=attendee)
    event.add("transp", "OPAQUE")
    return add_events(calendar, [event]).to_ical()


def _personal(statement: Select, person_id: int, since: datetime | None, until: datetime | None) -> Select:
    """Meetings of the pairs the person is the mentor or the mentee of (every status: a cancelled one says so)."""
    statement = statement.where(or_(MentoringPair.mentor_id == person_id, MentoringPair.mentee_id == person_id))
    if since is not None:
        statement = statement.where(MentoringMeeting.ends_at >= since)
    if until is not None:
        statement = statement.where(MentoringMeeting.starts_at < until)
    return statement.order_by(MentoringMeeting.starts_at, MentoringMeeting.id)


def personal_rows(person_id: int, since: datetime | None, until: datetime | None) -> list[tuple]:
    """What a personal feed's meetings depend on, for the feed cache's fingerprint (one query).

    The other side's name is in the title: a changed name renders the feed again at its next check.
    """
    mentor, mentee = aliased(Person), aliased(Person)
    statement = (select(MentoringMeeting.id, MentoringMeeting.sequence, MentoringMeeting.status,
                        MentoringMeeting.updated_at, mentor.full_name, mentee.full_name)
                 .join(MentoringMeeting.pair).join(mentor, MentoringPair.mentor).join(mentee, MentoringPair.mentee))
    return [tuple(row) for row in db.session.execute(_personal(statement, person_id, since, until))]


def personal_events(person_id: int, since: datetime | None, until: datetime | None, *, host: str, wording: Wording,
                    locale: str, page: Callable[[int], str]) -> list[Event]:
    """The VEVENTs of a person's mentoring meetings, for their personal feed (`page`: a pair's meetings page)."""
    mentor, mentee = aliased(Person), aliased(Person)
    statement = (select(MentoringMeeting).join(MentoringMeeting.pair)
                 .join(mentor, MentoringPair.mentor).join(mentee, MentoringPair.mentee)
                 .options(contains_eager(MentoringMeeting.pair).contains_eager(MentoringPair.mentor, alias=mentor),
                          contains_eager(MentoringMeeting.pair).contains_eager(MentoringPair.mentee, alias=mentee)))
    meetings: Iterable[MentoringMeeting] = db.session.scalars(_personal(statement, person_id, since, until)).unique()
    return [build_meeting_event(MeetingEvent.of(meeting, person_id), host=host, page=page(meeting.pair_id),
                                wording=wording, locale=locale) for meeting in meetings]
