"""Pure functions: sessions in, iCalendar out, for the feeds and for the invitations sent by mail (iTIP).

One VEVENT builder serves both, so a session has the same UID, SEQUENCE,
LOCATION and DESCRIPTION in a feed and in a mail, and a calendar app that has
it from one updates it from the other. Nothing here reads the clock, the
request or the database, so two renders of the same data are byte-identical:
a feed's DTSTAMP and LAST-MODIFIED come from the data, UIDs from the session's
id and the site's host, and VTIMEZONEs are added in name order.
"""
from __future__ import annotations

import importlib.metadata
import zoneinfo
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

import babel
import icalendar
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vText, vUri

from elearn.scheduling.display import Wording, place
from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus
from elearn.scheduling.wall_clock import UTC, occurs_twice

PRODID = "-//Hemicycle//Inter-parliamentary cooperation calendar//EN"
ITIP_PRODID = "-//Hemicycle//Registrations//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"
# Part of every feed's cache validator: change it when the output changes shape,
# and every cached feed is rendered again.
# 2: NAME, X-WR-CALNAME and X-WR-CALDESC escaped as TEXT. 3: VTIMEZONEs cover the
# years of the sessions; a local time that occurs twice is written in UTC.
FORMAT_VERSION = "3"


@lru_cache(maxsize=1)
def renderer_version() -> str:
    """What besides the data shapes the output: this module, icalendar, Babel's
    country names and the time zone rules. A deployment that changes one of them
    makes every cached feed render again (new rules move VTIMEZONEs)."""
    # zoneinfo reads the system's rules first, then the tzdata package.
    tzdata = "unknown"
    for folder in zoneinfo.TZPATH:
        version_file = Path(folder) / "tzdata.zi"
        if version_file.exists():
            tzdata = version_file.read_text(errors="replace").split("\n", 1)[0]
            break
    else:
        with suppress(importlib.metadata.PackageNotFoundError):
            tzdata = importlib.metadata.version("tzdata")
    return f"{FORMAT_VERSION}/icalendar {icalendar.__version__}/babel {babel.__version__}/tzdata {tzdata}"


@dataclass(frozen=True)
class FeedInfo:
    name: str
    description: str
    host: str                                # the site's host, part of every UID
    activity_url: Callable[[int], str]       # the public page of an activity
    wording: Wording = Wording()
    refresh: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Entry:
    """One session as a calendar shows it.

    `join_link`: the online link may be shown (personal feeds and invitations:
    confirmed participants and trainers). `changed_at`: a later change that
    concerns this calendar alone, such as the person's registration.
    `cancelled`: the session is cancelled though its activity is not (it was
    removed from the activity).
    """

    session: ActivitySession
    tentative: bool = False
    join_link: bool = False
    changed_at: datetime | None = None
    cancelled: bool = False


def session_uid(session_id: int, host: str) -> str:
    return f"session-{session_id}@{host}"


def event_title(activity: Activity, session: ActivitySession, wording: Wording, *, cancelled: bool = False) -> str:
    title = f"{activity.title}: {session.title}" if session.title else activity.title
    if cancelled or activity.status == ActivityStatus.CANCELLED:
        return f"{wording.cancelled_prefix} {title}"
    return title


def location(activity: Activity, wording: Wording) -> str:
    where = place(activity, wording.countries)
    if not where and activity.online_url:
        return wording.online
    return where


def description(activity: Activity, *, page: str, join_link: bool, wording: Wording) -> str:
    """The activity's text, then the online link (or where to get it), then the way back to its page."""
    lines = []
    if activity.description_md.strip():
        lines += [activity.description_md.strip(), ""]
    if join_link and activity.join_url:
        lines.append(f"{wording.join} {activity.join_url}")
    elif activity.online_url:
        lines.append(wording.link_for_confirmed)
    lines.append(f"{wording.details} {page}")
    return "\n".join(lines)


def build_event(entry: Entry, activity: Activity, *, host: str, page: str, wording: Wording,
                stamp: datetime | None = None) -> Event:
    """The VEVENT of one session of `activity` (given apart: a session just removed from it has none).

    `page`: the activity's public page. `stamp`: DTSTAMP, when the message is
    made (iTIP); a feed's is the last change, so that renders repeat.
    """
    session = entry.session
    cancelled = entry.cancelled or activity.status == ActivityStatus.CANCELLED
    event = Event()
    event.add("uid", session_uid(session.id, host))
    changed = max(session.updated_at, activity.updated_at, entry.changed_at or session.updated_at)
    event.add("dtstamp", stamp or changed)
    event.add("last-modified", changed)
    event.add("sequence", session.sequence)
    event.add("summary", event_title(activity, session, wording, cancelled=cancelled))
    zone = ZoneInfo(activity.timezone)
    if session.all_day:
        first = session.starts_at.astimezone(zone).date()
        after_last = session.ends_at.astimezone(zone).date()  # stored as local midnight after the last day
        event.add("dtstart", first)
        event.add("dtend", max(after_last, first + timedelta(days=1)))
    elif occurs_twice(session.starts_at, zone) or occurs_twice(session.ends_at, zone):
        # RFC 5545 reads a local time the clocks show twice as the first one, ical.js
        # (Thunderbird) as the second: only UTC means the same instant to every parser.
        # Both ends in UTC, so that no calendar app sees a start and an end in two forms.
        event.add("dtstart", session.starts_at.astimezone(UTC))
        event.add("dtend", session.ends_at.astimezone(UTC))
    else:
        # Local time with its TZID: calendar apps show the activity's zone and keep it when edited.
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
    event.add("status", "CANCELLED" if cancelled else "TENTATIVE" if entry.tentative else "CONFIRMED")
    where = location(activity, wording)
    if where:
        event.add("location", where)
    join_url = activity.join_url  # "" for a stored link that is not a web address: the event goes without it
    if entry.join_link and join_url:
        event.add("url", vUri(join_url))
        event.add("conference", vUri(join_url), parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    else:
        event.add("url", vUri(page))
    event.add("description", description(activity, page=page, join_link=entry.join_link, wording=wording))
    return event


def one_rdate_per_line(component: Timezone) -> Timezone:
    """Write one RDATE per onset in each observance of a VTIMEZONE, the first onset included.

    icalendar lists an observance's onsets as one comma-separated RDATE. ical.js
    (Thunderbird's parser) reads only the first value of each RDATE, and ignores
    DTSTART once an observance has RDATEs, so it would place events an hour off.
    Both forms mean the same to RFC 5545.
    """
    for observance in component.subcomponents:
        if "RDATE" not in observance:
            continue
        listed = observance["RDATE"]
        onsets = [moment.dt for values in (listed if isinstance(listed, list) else [listed]) for moment in values.dts]
        del observance["RDATE"]
        for onset in sorted({observance["DTSTART"].dt, *onsets}):
            observance.add("RDATE", onset)
    return component


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """The VTIMEZONE of a zone from `first` to `last`: the one builder of feeds and invitations.

    Shared between renders: only ever serialised, never changed.
    """
    return one_rdate_per_line(Timezone.from_tzid(tzid, first_date=first, last_date=last))


def zone_spans(events: list[Event]) -> dict[str, tuple[date, date]]:
    """For each TZID the events name, the years its VTIMEZONE must cover.

    From the first of January of the year before the earliest time to the first
    of January two years after the latest: a VTIMEZONE tells nothing beyond its
    last change, so one that stopped earlier (icalendar's default stops at 2038)
    would leave later sessions an hour off in ical.js and vobject.
    """
    moments: dict[str, list[datetime]] = {}
    for event in events:
        for name in ("DTSTART", "DTEND"):
            if name in event and event[name].params.get("TZID"):
                moments.setdefault(event[name].params["TZID"], []).append(event[name].dt)
    return {tzid: (date(min(found).year - 1, 1, 1), date(max(found).year + 2, 1, 1))
            for tzid, found in moments.items()}


def timed_event(*, uid: str, changed_at: datetime, stamp: datetime | None, sequence: int, summary: str,
                starts_at: datetime, ends_at: datetime, zone_name: str, cancelled: bool) -> Event:
    """A VEVENT's head for a timed event that is not an activity's session (an agenda item, a mentoring
    meeting): identity and version, summary, start and end in their zone, status."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp or changed_at)
    event.add("last-modified", changed_at)
    event.add("sequence", sequence)
    event.add("summary", summary)
    zone = ZoneInfo(zone_name)
    if occurs_twice(starts_at, zone) or occurs_twice(ends_at, zone):
        # As for sessions: a local time the clocks show twice means one instant only in UTC.
        event.add("dtstart", starts_at.astimezone(UTC))
        event.add("dtend", ends_at.astimezone(UTC))
    else:
        event.add("dtstart", starts_at.astimezone(zone))
        event.add("dtend", ends_at.astimezone(zone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def add_events(calendar: Calendar, events: list[Event]) -> Calendar:
    """Add the VTIMEZONE of each zone the events name (in name order), then the events."""
    # icalendar writes UTC times with "Z" and names the zone of the others in TZID;
    # each of those needs a VTIMEZONE before the events, added in a fixed order
    # (add_missing_timezones walks a set, whose order changes between processes).
    for tzid, (first, last) in sorted(zone_spans(events).items()):
        calendar.add_component(vtimezone(tzid, first, last))
    for event in events:
        calendar.add_component(event)
    return calendar


def build_calendar(entries: Iterable[Entry], info: FeedInfo, extra: Iterable[Event] = ()) -> bytes:
    """A feed: the calendar's name and refresh interval, then its sessions, then `extra` events built by a
    higher feature (a participant's agenda items, delegations.agenda_ical)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # icalendar knows DESCRIPTION as TEXT but not NAME (RFC 7986) nor the X-WR- names: typed
    # here, a line break, comma or semicolon in a title is escaped instead of breaking the feed.
    calendar.add("name", vText(info.name))
    calendar.add("x-wr-calname", vText(info.name))
    calendar.add("description", vText(info.description))
    calendar.add("x-wr-caldesc", vText(info.description))
    calendar.add("refresh-interval", info.refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(info.refresh))  # an X- property is text unless typed
    events = [build_event(entry, entry.session.activity, host=info.host,
                          page=info.activity_url(entry.session.activity.id), wording=info.wording)
              for entry in entries]
    return add_events(calendar, [*events, *extra]).to_ical()


@dataclass(frozen=True)
class Invitation:
    """An iTIP message (RFC 5546) for one person: REQUEST to add or move sessions, CANCEL to remove them.

    `cancelled`: the sessions themselves are cancelled (STATUS:CANCELLED), not
    only the attendee's place in them.
    """

    method: str
    attendee_name: str
    attendee_address: str
    organizer_name: str
    organizer_address: str
    host: str
    page: str
    wording: Wording
    now: datetime
    cancelled: bool = False


def _invitation_event(activity: Activity, session: ActivitySession, invitation: Invitation) -> Event:
    # The person holds a confirmed seat (or held it until this CANCEL): they may see the link.
    event = build_event(Entry(session, join_link=True, cancelled=invitation.cancelled), activity, host=invitation.host,
                        page=invitation.page, wording=invitation.wording, stamp=invitation.now)
    if invitation.method == CANCEL and not invitation.cancelled:
        # RFC 5546 3.2.5: STATUS:CANCELLED cancels the event for everyone; when
        # only this attendee leaves, the CANCEL carries no STATUS.
        del event["STATUS"]
    event.add("organizer", vCalAddress(f"mailto:{invitation.organizer_address}"),
              parameters={"CN": vText(invitation.organizer_name)})
    attendee = {"CN": vText(invitation.attendee_name), "ROLE": "REQ-PARTICIPANT", "CUTYPE": "INDIVIDUAL"}
    if invitation.method == REQUEST:
        # The seat is confirmed on the site; a reply to a no-reply address would change nothing.
        attendee.update(PARTSTAT="ACCEPTED", RSVP="FALSE")
    event.add("attendee", vCalAddress(f"mailto:{invitation.attendee_address}"), parameters=attendee)
    event.add("transp", "OPAQUE")
    return event


def build_itip(activity: Activity, sessions: Iterable[ActivitySession], invitation: Invitation) -> bytes:
    """One VCALENDAR with METHOD, one VEVENT per session and the VTIMEZONE they need."""
    if invitation.method not in (REQUEST, CANCEL):
        raise ValueError(f"unknown iTIP method {invitation.method!r}")
    calendar = Calendar()
    calendar.add("prodid", ITIP_PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", invitation.method)
    events = [_invitation_event(activity, session, invitation) for session in sessions]
    return add_events(calendar, events).to_ical()
