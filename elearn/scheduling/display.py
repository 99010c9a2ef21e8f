"""How activities read: session times in the viewer's timezone, the place, the calendars' fixed sentences."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Mapping
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time, get_datetime_format
from flask_babel import force_locale, get_locale, get_timezone
from flask_babel import gettext as _

from elearn.scheduling.models import Activity, ActivitySession


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

    # Babel has no interval pattern mixing dates and times, so compose one with the locale's own joint
    # between a date and a time ("{1}, {0}" in English, "{1}، {0}" with the Arabic comma).
    joint = get_datetime_format("medium", locale=locale)

    def joined(date_text: str, time_text: str) -> str:
        return joint.replace("{1}", date_text).replace("{0}", time_text)

    if start.date() == end.date():
        return joined(day(start), f"{clock(start)}–{clock(end)}")
    return f"{joined(day(start), clock(start))} – {joined(day(end), clock(end))}"


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
    blueprint.add_app_template_global(Place.of, "activity_place")


def session_lines(activity, *, zone: str, locale: str) -> list[str]:
    """Each session of `activity` as one line for a mail, in the reader's timezone and language."""
    reader_zone = ZoneInfo(zone or "UTC")
    lines = []
    for session in activity.sessions:
        when = format_span(session.starts_at, session.ends_at, session.all_day, activity_zone=activity.zone,
                           zone=reader_zone, locale=locale)
        lines.append(f"{session.title}: {when}" if session.title else when)
    return lines


@lru_cache(maxsize=16)
def country_names(locale: str) -> Mapping[str, str]:
    """Babel's names of countries (and other territories) by ISO code, in `locale`."""
    return dict(Locale.parse(locale).territories)


@dataclass(frozen=True)
class Place:
    """Where an activity happens, kept as its parts so that each reader gets the country in their language.

    `str()` writes it out in the current locale: a mail rendered under its
    reader's locale, or a change ("old → new") computed once and told to each
    participant in theirs.
    """

    venue: str = ""
    address: str = ""
    city: str = ""
    country: str = ""  # ISO 3166 code

    @classmethod
    def of(cls, activity: Activity) -> Place:
        # The country only with a venue or a city: alone, or with a bare street address, it says too
        # little. Left out here, so that two places are equal exactly when they read the same.
        return cls(activity.venue_name, activity.venue_address, activity.venue_city,
                   activity.venue_country if activity.has_venue else "")

    def text(self, countries: Mapping[str, str]) -> str:
        country = countries.get(self.country, self.country)
        return ", ".join(part for part in (self.venue, self.address, self.city, country) if part)

    def __bool__(self) -> bool:
        return bool(self.venue or self.address or self.city)

    def __str__(self) -> str:
        return self.text(country_names(str(get_locale() or "en")))


def place(activity: Activity, countries: Mapping[str, str]) -> str:
    """The activity's place in one line, as every calendar and mail gives it: venue, address, city, country."""
    return Place.of(activity).text(countries)


@dataclass(frozen=True)
class Wording:
    """The fixed sentences of calendar events, already translated into one language."""

    cancelled_prefix: str = "Cancelled:"
    online: str = "Online"
    join: str = "Join online:"
    link_for_confirmed: str = "Online: the link is given to confirmed participants."
    details: str = "Details and registration:"
    countries: Mapping[str, str] = field(default_factory=dict)


@lru_cache(maxsize=8)
def calendar_wording(locale: str) -> Wording:
    """The sentences of feeds and mailed invitations in `locale`, translated once per process."""
    with force_locale(locale):
        return Wording(cancelled_prefix=_("Cancelled:"), online=_("Online"), join=_("Join online:"),
                       link_for_confirmed=_("Online: the link is given to confirmed participants."),
                       details=_("Details and registration:"), countries=country_names(locale))
