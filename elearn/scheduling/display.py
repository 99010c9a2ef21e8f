"""How session times read: in the viewer's timezone, with the activity's local time beside it."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval, format_skeleton, format_time
from flask_babel import get_locale, get_timezone

from elearn.scheduling.models import Activity, ActivitySession


def place(activity: Activity) -> str:
    """Where an activity takes place, in one line."""
    return ", ".join(part for part in (activity.venue_name, activity.venue_address, activity.venue_city,
                                       activity.venue_country) if part)


def format_span(starts_at: datetime, ends_at: datetime, all_day: bool, *, activity_zone, zone, locale) -> str:
    """A session's dates and times as read in `zone` and `locale` (all-day: the activity's local dates).

    Explicit zone and locale, so that mail can be written in its recipient's.
    """
    if all_day:
        first = starts_at.astimezone(activity_zone).date()
        last = ends_at.astimezone(activity_zone).date() - timedelta(days=1)
        if first == last:
            return format_date(first, "full", locale=locale)
        return format_interval(first, last, "yMMMEd", locale=locale)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)

    def day(moment):
        return format_skeleton("yMMMEd", moment, tzinfo=zone, locale=locale)

    def clock(moment):
        return format_time(moment, "short", tzinfo=zone, locale=locale)

    # Babel has no interval pattern mixing dates and times, so compose one.
    if start.date() == end.date():
        return f"{day(start)}, {clock(start)}–{clock(end)}"
    return f"{day(start)}, {clock(start)} – {day(end)}, {clock(end)}"


def _interval(session: ActivitySession, zone) -> str:
    return format_span(session.starts_at, session.ends_at, session.all_day, activity_zone=session.activity.zone,
                       zone=zone, locale=get_locale())


def viewer_span(session: ActivitySession) -> str:
    """The session as the viewer lives it (all-day sessions: the activity's local dates)."""
    return _interval(session, get_timezone())


def local_span(session: ActivitySession) -> str:
    return _interval(session, ZoneInfo(session.activity.timezone))


def shows_local_time_separately(session: ActivitySession) -> bool:
    if session.all_day:
        return False
    viewer, local = get_timezone(), ZoneInfo(session.activity.timezone)
    return session.starts_at.astimezone(viewer).utcoffset() != session.starts_at.astimezone(local).utcoffset()


def register(blueprint) -> None:
    blueprint.add_app_template_global(viewer_span, "viewer_span")
    blueprint.add_app_template_global(local_span, "local_span")
    blueprint.add_app_template_global(shows_local_time_separately, "shows_local_time_separately")


def session_lines(activity, *, zone: str, locale: str) -> list[str]:
    """Each session of `activity` as one line for a mail, in the reader's timezone and language."""
    reader_zone = ZoneInfo(zone or "UTC")
    lines = []
    for session in activity.sessions:
        when = format_span(session.starts_at, session.ends_at, session.all_day, activity_zone=activity.zone,
                           zone=reader_zone, locale=locale)
        lines.append(f"{session.title}: {when}" if session.title else when)
    return lines
