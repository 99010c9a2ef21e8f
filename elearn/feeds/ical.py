"""Pure functions: activity sessions in, an iCalendar file out (built with `icalendar`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterable

from icalendar import Calendar, Event, vUri

from elearn.scheduling.models import ActivitySession, ActivityStatus

PRODID = "-//Hemicycle//Inter-parliamentary cooperation calendar//EN"


@dataclass(frozen=True)
class FeedInfo:
    name: str
    description: str
    host: str                     # the site's host, part of every UID
    activity_url: Callable[[int], str]
    refresh: timedelta = timedelta(hours=1)


def session_uid(session: ActivitySession, host: str) -> str:
    return f"session-{session.id}@{host}"


def build_event(session: ActivitySession, info: FeedInfo, *, tentative: bool = False) -> Event:
    activity = session.activity
    event = Event()
    event.add("uid", session_uid(session, info.host))
    cancelled = activity.status == ActivityStatus.CANCELLED
    title = activity.title if not session.title else f"{activity.title}: {session.title}"
    event.add("summary", f"Cancelled: {title}" if cancelled else title)
    if session.all_day:
        zone = activity.zone
        event.add("dtstart", session.starts_at.astimezone(zone).date())
        event.add("dtend", session.ends_at.astimezone(zone).date())
    else:
        event.add("dtstart", session.starts_at.astimezone(activity.zone))
        event.add("dtend", session.ends_at.astimezone(activity.zone))
    stamp = max(session.updated_at, activity.updated_at)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", session.sequence)
    if cancelled:
        event.add("status", "CANCELLED")
    elif tentative:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    place = ", ".join(part for part in (activity.venue_name, activity.venue_address, activity.venue_city) if part)
    if place:
        event.add("location", place)
    link = info.activity_url(activity.id)
    lines = [line for line in (activity.description_md.strip(), "") if line is not None]
    if activity.online_url:
        event.add("url", vUri(activity.online_url))
        event.add("conference", vUri(activity.online_url), parameters={"value": "URI", "feature": "VIDEO"})
        lines.append(f"Online: {activity.online_url}")
    lines.append(f"Details and registration: {link}")
    event.add("description", "\n".join(lines).strip())
    return event


def build_calendar(sessions: Iterable[ActivitySession], info: FeedInfo,
                   tentative_session_ids: frozenset[int] = frozenset()) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", info.name)
    calendar.add("x-wr-calname", info.name)
    calendar.add("x-wr-caldesc", info.description)
    calendar.add("refresh-interval", info.refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", info.refresh)
    for session in sessions:
        calendar.add_component(build_event(session, info, tentative=session.id in tentative_session_ids))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def newest_change(sessions: Iterable[ActivitySession]) -> datetime | None:
    stamps = [max(s.updated_at, s.activity.updated_at) for s in sessions]
    return max(stamps) if stamps else None
