"""How session times read: in the viewer's timezone, with the activity's local time beside it."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval, format_skeleton, format_time
from flask_babel import get_locale, get_timezone

from elearn.scheduling.models import ActivitySession


def _interval(session: ActivitySession, zone) -> str:
    locale = get_locale()
    if session.all_day:
        first = session.starts_at.astimezone(session.activity.zone).date()
        last = session.ends_at.astimezone(session.activity.zone).date() - timedelta(days=1)
        if first == last:
            return format_date(first, "full", locale=locale)
        return format_interval(first, last, "yMMMEd", locale=locale)
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)

    def day(moment):
        return format_skeleton("yMMMEd", moment, tzinfo=zone, locale=locale)

    def clock(moment):
        return format_time(moment, "short", tzinfo=zone, locale=locale)

    # Babel has no interval pattern mixing dates and times, so compose one.
    if start.date() == end.date():
        return f"{day(start)}, {clock(start)}–{clock(end)}"
    return f"{day(start)}, {clock(start)} – {day(end)}, {clock(end)}"


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
