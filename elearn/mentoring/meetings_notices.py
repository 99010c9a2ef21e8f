"""The mails a meeting sends its pair's two people: an invitation (iTIP REQUEST) when it is scheduled or moved, a
cancellation (CANCEL) when it is called off, each in the reader's language with times in their timezone.

Two mails per change: queued in the change's own transaction (no job), with the same VEVENT the person's feed
carries (meetings_ical).
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from elearn.database import utcnow
from elearn.languages import interface_locale
from elearn.mail.services import queue_mail
from elearn.mentoring.meetings_ical import MeetingEvent, build_meeting_itip
from elearn.mentoring.models import MentoringMeeting
from elearn.people.models import Person
from elearn.scheduling import invitations as itip
from elearn.scheduling.display import calendar_wording, format_span
from elearn.scheduling.ical import Invitation
from elearn.urls import absolute_url

REQUEST, CANCEL = itip.REQUEST, itip.CANCEL


def meetings_link(pair_id: int) -> str:
    return absolute_url("mentoring_meetings.meetings", pair_id=pair_id)


def _attachment(data: MeetingEvent, person: Person, method: str, link: str, locale: str) -> dict:
    organizer_name, organizer_address = itip.organizer()
    details = Invitation(method=method, attendee_name=person.full_name, attendee_address=person.email,
                         organizer_name=organizer_name, organizer_address=organizer_address, host=itip.site_host(),
                         page=link, wording=calendar_wording(locale), now=utcnow())
    return itip.attachment(build_meeting_itip(data, details, locale), method)


def mail_meeting(meeting: MentoringMeeting, person: Person, method: str) -> None:
    """One mail with its invitation or cancellation, in the person's language, times in their timezone."""
    data = MeetingEvent.of(meeting, person.id)
    link = meetings_link(meeting.pair_id)
    locale = interface_locale(person.preferred_language)
    zone = person.timezone or "UTC"
    when = format_span(meeting.starts_at, meeting.ends_at, False, activity_zone=ZoneInfo(meeting.timezone),
                       zone=ZoneInfo(zone), locale=locale)
    cancelled = method == CANCEL
    queue_mail(to=person.email, template="mentoring_meeting", locale=locale,
               kind="mentoring_meeting_cancel" if cancelled else "mentoring_meeting_request",
               attachments=[_attachment(data, person, method, link, locale)], person=person, meeting=data,
               cancelled=cancelled, when=when, zone=zone, link=link)


def tell_both(meeting: MentoringMeeting, method: str) -> None:
    """Queue the mail to the mentor and to the mentee (whoever scheduled it too: their calendar needs it)."""
    for person in (meeting.pair.mentor, meeting.pair.mentee):
        if person.email and person.is_active:
            mail_meeting(meeting, person, method)
