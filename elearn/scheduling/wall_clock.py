"""Local clock times around a change of the clocks: times that do not exist, and times that occur twice.

A trainer types sessions in the activity's local time. On the night the clocks
go forward some of those times never happen (Paris, 28 March 2027: 02:00 jumps
to 03:00); on the night they go back some happen twice (Paris, 31 October 2027:
02:00 to 02:59 once in summer time, then again in winter time). Python's
`fold` tells the two apart: 0 is the first occurrence, 1 the second.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_time
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

UTC = ZoneInfo("UTC")
FIRST, SECOND = 0, 1  # values of `fold`


@dataclass(frozen=True)
class ClockChange:
    """The change of the clocks that makes a local time skipped or repeated.

    `jumps_from` and `jumps_to`: the clock times on either side of the change
    (02:00 → 03:00 forward, 03:00 → 02:00 back). `first_offset` and
    `second_offset`: the UTC offsets before and after it.
    """

    skipped: bool
    jumps_from: time
    jumps_to: time
    first_offset: timedelta
    second_offset: timedelta


def _moment_of_change(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of the change that puts `clock` on `day` in a gap or an overlap."""
    local = datetime.combine(day, clock).replace(tzinfo=UTC)
    # The change happens between the two readings of the local time, one with
    # each offset: halve that interval down to the second (changes fall on whole seconds).
    readings = [int((local - datetime.combine(day, clock, zone).replace(fold=fold).utcoffset()).timestamp())
                for fold in (FIRST, SECOND)]
    low, high = min(readings), max(readings)
    before = datetime.fromtimestamp(low, zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def clock_change(day: date, clock: time, zone: ZoneInfo) -> ClockChange | None:
    """The change of the clocks that skips or repeats `clock` on `day`, or None for an ordinary time."""
    clock = clock.replace(fold=FIRST)  # a time read from a stored instant may carry fold=1
    first = datetime.combine(day, clock, zone)
    second = first.replace(fold=SECOND)
    if first.utcoffset() == second.utcoffset():
        return None
    change = _moment_of_change(day, clock, zone)
    before, after = first.utcoffset(), second.utcoffset()
    return ClockChange(skipped=after > before,
                       jumps_from=(change + before).replace(tzinfo=None).time(),
                       jumps_to=(change + after).replace(tzinfo=None).time(),
                       first_offset=before, second_offset=after)


def occurs_twice(moment: datetime, zone: ZoneInfo) -> bool:
    """Whether the local time of the instant `moment` in `zone` is one the clocks show twice."""
    local = moment.astimezone(zone)
    return local.utcoffset() != local.replace(fold=1 - local.fold).utcoffset()


def utc_offset(offset: timedelta) -> str:
    """UTC+02:00, UTC−03:00, UTC+12:45."""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def clock_time(clock: time) -> str:
    return format_time(clock, "short", locale=get_locale())


def _change_facts(day: date, clock: time, zone: ZoneInfo, change: ClockChange) -> dict[str, str]:
    return {"date": format_date(day, "long"), "zone": zone.key, "time": clock_time(clock),
            "before": clock_time(change.jumps_from), "after": clock_time(change.jumps_to)}


def skipped_time_message(day: date, clock: time, zone: ZoneInfo, change: ClockChange) -> str:
    return _("On %(date)s the clocks in %(zone)s go forward from %(before)s to %(after)s: "
             "%(time)s does not exist that day. Give another time.", **_change_facts(day, clock, zone, change))


def repeated_time_message(day: date, clock: time, zone: ZoneInfo, change: ClockChange, *, choose: bool) -> str:
    """Why the form asks: `choose`, say which of the two; else give another time (a field with no choice)."""
    facts = _change_facts(day, clock, zone, change)
    if choose:
        return _("On %(date)s the clocks in %(zone)s go back from %(before)s to %(after)s: "
                 "%(time)s occurs twice that day. Say which one you mean.", **facts)
    return _("On %(date)s the clocks in %(zone)s go back from %(before)s to %(after)s: "
             "%(time)s occurs twice that day. Give another time.", **facts)


def occurrence_labels(clock: time, change: ClockChange) -> tuple[str, str]:
    """How the form names the two readings of a repeated time: the first 02:30 (UTC+02:00), the second …"""
    shown = clock_time(clock)
    return (_("the first %(time)s (%(offset)s)", time=shown, offset=utc_offset(change.first_offset)),
            _("the second %(time)s (%(offset)s)", time=shown, offset=utc_offset(change.second_offset)))
