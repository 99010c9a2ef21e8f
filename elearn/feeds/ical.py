"""Pure functions: activity sessions in, an iCalendar file out (built with `icalendar`).

Nothing here reads the clock, the request or the database, so two renders of the
same data are byte-identical: DTSTAMP and LAST-MODIFIED come from the data, UIDs
from the session's id and the site's host, and VTIMEZONEs are added in name order.
"""
from __future__ import annotations

import importlib.metadata
import zoneinfo
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

import babel
import icalendar
from icalendar import Calendar, Event, Timezone, vDuration, vText, vUri

from elearn.scheduling.models import ActivitySession, ActivityStatus

PRODID = "-//Hemicycle//Inter-parliamentary cooperation calendar//EN"
# Part of every cache validator: change it when the output changes shape, and
# every cached feed is rendered again.
FORMAT_VERSION = "2"  # 2: NAME, X-WR-CALNAME and X-WR-CALDESC escaped as TEXT


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
class Wording:
    """The feed's fixed sentences, already translated into the feed's language."""

    cancelled_prefix: str = "Cancelled:"
    online: str = "Online"
    join: str = "Join online:"
    link_for_confirmed: str = "Online: the link is given to confirmed participants."
    details: str = "Details and registration:"
    countries: Mapping[str, str] = field(default_factory=dict)


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
    """One session as a feed shows it.

    `join_link`: the online link may be shown (only in personal feeds, to
    confirmed participants and trainers). `changed_at`: a later change that
    concerns this feed alone, such as the person's registration.
    """

    session: ActivitySession
    tentative: bool = False
    join_link: bool = False
    changed_at: datetime | None = None


def session_uid(session_id: int, host: str) -> str:
    return f"session-{session_id}@{host}"


def event_title(session: ActivitySession, wording: Wording) -> str:
    activity = session.activity
    title = f"{activity.title}: {session.title}" if session.title else activity.title
    if activity.status == ActivityStatus.CANCELLED:
        return f"{wording.cancelled_prefix} {title}"
    return title


def location(session: ActivitySession, wording: Wording) -> str:
    activity = session.activity
    country = wording.countries.get(activity.venue_country, activity.venue_country)
    parts = [activity.venue_name, activity.venue_address, activity.venue_city, country if activity.has_venue else ""]
    place = ", ".join(part for part in parts if part)
    if not place and activity.online_url:
        return wording.online
    return place


def build_event(entry: Entry, info: FeedInfo) -> Event:
    session, wording = entry.session, info.wording
    activity = session.activity
    event = Event()
    event.add("uid", session_uid(session.id, info.host))
    changed = max(session.updated_at, activity.updated_at, entry.changed_at or session.updated_at)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", session.sequence)
    event.add("summary", event_title(session, wording))
    zone = ZoneInfo(activity.timezone)
    if session.all_day:
        first = session.starts_at.astimezone(zone).date()
        after_last = session.ends_at.astimezone(zone).date()  # stored as local midnight after the last day
        event.add("dtstart", first)
        event.add("dtend", max(after_last, first + timedelta(days=1)))
    else:
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
    if activity.status == ActivityStatus.CANCELLED:
        event.add("status", "CANCELLED")
    elif entry.tentative:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    place = location(session, wording)
    if place:
        event.add("location", place)
    page = info.activity_url(activity.id)
    lines = []
    if activity.description_md.strip():
        lines += [activity.description_md.strip(), ""]
    show_join_link = entry.join_link and bool(activity.online_url)
    if show_join_link:
        event.add("url", vUri(activity.online_url))
        event.add("conference", vUri(activity.online_url), parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
        lines.append(f"{wording.join} {activity.online_url}")
    else:
        event.add("url", vUri(page))
        if activity.online_url:
            lines.append(wording.link_for_confirmed)
    lines.append(f"{wording.details} {page}")
    event.add("description", "\n".join(lines))
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


@lru_cache(maxsize=64)
def vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE of a zone over icalendar's fixed default range (1970 to 2038).

    Shared between renders: only ever serialised, never changed.
    """
    return one_rdate_per_line(Timezone.from_tzid(tzid))


def build_calendar(entries: Iterable[Entry], info: FeedInfo) -> bytes:
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
    events = [build_event(entry, info) for entry in entries]
    # icalendar writes UTC zones as "Z" and names the others in TZID; each of
    # those needs a VTIMEZONE before the events, added in a fixed order
    # (add_missing_timezones walks a set, whose order changes between processes).
    zones = {event["DTSTART"].params.get("TZID") for event in events} - {None}
    for tzid in sorted(zones):
        calendar.add_component(vtimezone(tzid))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
