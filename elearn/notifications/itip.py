"""Calendar invitations sent by mail (iTIP, RFC 5546): REQUEST to add or move, CANCEL to remove.

Each VEVENT carries the same UID as the calendar feeds and the session's stored
SEQUENCE, so a calendar app that has the event from a feed or an earlier mail
updates that event instead of adding a second one.
"""
from __future__ import annotations

from base64 import b64encode
from datetime import date, datetime
from email.utils import parseaddr
from typing import Iterable
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText, vUri

from elearn.database import utcnow
from elearn.feeds.ical import one_rdate_per_line, session_uid
from elearn.people.models import Person
from elearn.scheduling.models import Activity, ActivitySession

PRODID = "-//Hemicycle//Registrations//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def site_host() -> str:
    """The host part of every UID, as the feeds make it (elearn.feeds.views.site_host)."""
    return urlsplit(current_app.config["SITE_URL"]).hostname or "hemicycle.localhost"


def organizer() -> tuple[str, str]:
    """(name, address) of the ORGANIZER: MAIL_ORGANIZER, else the sender of every mail."""
    name, address = parseaddr(current_app.config["MAIL_ORGANIZER"] or current_app.config["MAIL_DEFAULT_SENDER"])
    return name or "Hemicycle", address


def _place(activity: Activity) -> str:
    return ", ".join(part for part in (activity.venue_name, activity.venue_address, activity.venue_city) if part)


def _event(activity: Activity, session: ActivitySession, attendee: Person, *, method: str, cancelled: bool,
           host: str, link: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", session_uid(session.id, host))
    event.add("sequence", session.sequence)
    event.add("dtstamp", now)
    event.add("last-modified", max(session.updated_at, activity.updated_at))
    zone = activity.zone
    if session.all_day:
        event.add("dtstart", session.starts_at.astimezone(zone).date())
        event.add("dtend", session.ends_at.astimezone(zone).date())
    else:
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
    title = f"{activity.title}: {session.title}" if session.title else activity.title
    event.add("summary", _("Cancelled: %(title)s", title=title) if cancelled else title)
    if _place(activity):
        event.add("location", _place(activity))
    lines = [activity.description_md.strip()] if activity.description_md.strip() else []
    if activity.online_url:
        event.add("url", vUri(activity.online_url))
        event.add("conference", vUri(activity.online_url), parameters={"value": "URI", "feature": "VIDEO"})
        lines.append(_("Online: %(link)s", link=activity.online_url))
    lines.append(_("Details: %(link)s", link=link))
    event.add("description", "\n\n".join(lines))
    name, address = organizer()
    event.add("organizer", vCalAddress(f"mailto:{address}"), parameters={"cn": vText(name)})
    attendee_parameters = {"cn": vText(attendee.full_name), "role": "REQ-PARTICIPANT", "cutype": "INDIVIDUAL"}
    if method == REQUEST:
        # The seat is confirmed on the site; a reply to a no-reply address would change nothing.
        attendee_parameters.update(partstat="ACCEPTED", rsvp="FALSE")
    event.add("attendee", vCalAddress(f"mailto:{attendee.email}"), parameters=attendee_parameters)
    if method == REQUEST:
        event.add("status", "CONFIRMED")
    elif cancelled:
        # RFC 5546 3.2.5: STATUS:CANCELLED cancels the event for everyone; when
        # only this attendee leaves, the CANCEL carries no STATUS.
        event.add("status", "CANCELLED")
    event.add("transp", "OPAQUE")
    return event


def build_itip(activity: Activity, sessions: Iterable[ActivitySession], attendee: Person, *, method: str,
               cancelled: bool = False, host: str, link: str, now: datetime | None = None) -> bytes:
    """One VCALENDAR with METHOD, one VEVENT per session and the VTIMEZONE they need.

    `cancelled`: the sessions themselves are cancelled (STATUS:CANCELLED), not
    only the attendee's place in them.
    """
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unknown iTIP method {method!r}")
    sessions = list(sessions)
    now = now or utcnow()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    with force_locale(attendee.preferred_language):
        for session in sessions:
            calendar.add_component(_event(activity, session, attendee, method=method, cancelled=cancelled,
                                          host=host, link=link, now=now))
    if sessions:
        # Only the years the sessions need: a VTIMEZONE of a few lines, not 1970 to 2038.
        first = min(s.starts_at for s in sessions).year - 1
        last = max(s.ends_at for s in sessions).year + 2
        calendar.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last, 1, 1))
        for timezone in calendar.walk("VTIMEZONE"):
            one_rdate_per_line(timezone)
    return calendar.to_ical()


def attachment(body: bytes, method: str, *, alternative: bool = True) -> dict:
    """An outbox attachment; `alternative`: also the message's calendar part (see mail.services.build_email).

    A message has one calendar part at most: a second invitation in the same
    mail (sessions removed while others moved) travels as an attachment only.
    """
    return {
        "filename": "invite.ics" if method == REQUEST else "cancel.ics",
        "content_type": f"text/calendar; method={method}; charset=utf-8",
        "content": b64encode(body).decode("ascii"),
        "alternative": alternative,
    }


def invitation(activity: Activity, attendee: Person, *, link: str, method: str = REQUEST,
               sessions: Iterable[ActivitySession] | None = None, cancelled: bool = False,
               alternative: bool = True) -> dict:
    """The attachment for one person: every session of the activity unless `sessions` is given."""
    body = build_itip(activity, activity.sessions if sessions is None else sessions, attendee, method=method,
                      cancelled=cancelled, host=site_host(), link=link)
    return attachment(body, method, alternative=alternative)
