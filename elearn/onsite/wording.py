"""Why a scan was refused (the machine words), and what its result says to the person at the door, in their
language and timezone."""
from __future__ import annotations

import enum
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time, get_datetime_format
from flask import current_app
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from elearn.onsite.models import ScanOutcome
from elearn.scheduling.display import format_span


class Reason(enum.StrEnum):
    """The machine word stored with a scan and sent to scanners; message() says it in the scanner's language."""
    NONE = ""
    WAS_ABSENT = "was_absent"  # recorded: an absent mark became present
    WAS_EXCUSED = "was_excused"  # recorded: an excused mark became present
    UNKNOWN = "unknown"  # no ticket has this code
    OTHER_ACTIVITY = "other_activity"
    REVOKED = "revoked"  # the registration was withdrawn, declined or removed (or the ticket reissued)
    NOT_CONFIRMED = "not_confirmed"
    CANCELLED = "activity_cancelled"
    NOT_PUBLISHED = "activity_not_published"
    NO_SESSION = "no_session"  # no session under way at the scan's time
    STALE = "stale"  # scanned longer ago than CHECK_IN_MAX_AGE
    CLOCK_AHEAD = "clock_ahead"  # dated in the future beyond CHECK_IN_CLOCK_SKEW
    SCAN_ID_TAKEN = "scan_id_taken"  # this scan id was used for another activity (never stored)


def count_line(checked_in: int, confirmed: int) -> str:
    """The page's running count, also sent with each batch's answer so a scanner's page keeps it current."""
    return ngettext("%(present)d of %(num)d confirmed participant checked in",
                    "%(present)d of %(num)d confirmed participants checked in", confirmed, present=checked_in)


def _locale() -> str:
    return str(get_locale() or "en")


def clock(at: datetime, zone: ZoneInfo) -> str:
    """HH:MM as the reader writes it."""
    return format_time(at, "short", tzinfo=zone, locale=_locale())


def day_and_clock(at: datetime, zone: ZoneInfo) -> str:
    locale = _locale()
    day = format_skeleton("yMMMEd", at, tzinfo=zone, locale=locale)
    return get_datetime_format("medium", locale=locale).replace("{1}", day).replace("{0}", clock(at, zone))


def session_label(slot, activity_zone: ZoneInfo, zone: ZoneInfo) -> str:
    span = format_span(slot.starts_at, slot.ends_at, slot.all_day, activity_zone=activity_zone, zone=zone,
                       locale=_locale())
    return f"{slot.title} ({span})" if slot.title else span


def message(reason, outcome, *, name: str = "", zone: ZoneInfo | None = None, at: datetime | None = None,
            activity_title: str = "", next_slot=None, doors_open: timedelta | None = None) -> str:
    """The result as a sentence; `at` (recorded, already) and `next_slot` (no session) in `zone`."""
    time = clock(at, zone) if at is not None and zone is not None else ""
    if outcome != ScanOutcome.REFUSED:
        return _accepted(reason, outcome, name, time)
    if reason == Reason.OTHER_ACTIVITY and activity_title:
        return _("This ticket is for another activity: %(title)s.", title=activity_title)
    if reason == Reason.NO_SESSION and next_slot is not None and zone is not None:
        return _("No session is under way. The next one starts %(when)s; check-in opens at %(doors)s.",
                 when=day_and_clock(next_slot.starts_at, zone),
                 doors=clock(next_slot.starts_at - (doors_open or timedelta()), zone))
    if reason == Reason.STALE:
        hours = int(current_app.config["CHECK_IN_MAX_AGE"].total_seconds() // 3600)
        return ngettext("This scan is more than %(num)d hour old: it was not recorded. Mark the attendance on "
                        "the attendance sheet instead.",
                        "This scan is more than %(num)d hours old: it was not recorded. Mark the attendance on "
                        "the attendance sheet instead.", hours)
    return _refusals(name).get(reason) or _("Refused.")


def _accepted(reason, outcome, name: str, time: str) -> str:
    if outcome == ScanOutcome.ALREADY:
        if time:
            return _("%(name)s was already checked in at %(time)s: nothing changed.", name=name, time=time)
        return _("%(name)s was already checked in: nothing changed.", name=name)
    if reason == Reason.WAS_ABSENT:
        return _("%(name)s checked in at %(time)s (was marked absent, now present).", name=name, time=time)
    if reason == Reason.WAS_EXCUSED:
        return _("%(name)s checked in at %(time)s (was marked excused, now present).", name=name, time=time)
    return _("%(name)s checked in at %(time)s.", name=name, time=time)


def _refusals(name: str) -> dict:
    return {
        Reason.UNKNOWN: _("No ticket has this code. Check the code and try again."),
        Reason.OTHER_ACTIVITY: _("This ticket is not for this activity."),
        Reason.REVOKED: _("This ticket of %(name)s is no longer valid: the registration was cancelled or a new "
                          "ticket replaced it.", name=name),
        Reason.NOT_CONFIRMED: _("The registration of %(name)s is not confirmed.", name=name),
        Reason.CANCELLED: _("This activity is cancelled: nobody can be checked in."),
        Reason.NOT_PUBLISHED: _("This activity is not published: nobody can be checked in."),
        Reason.NO_SESSION: _("No session is under way, and none is left to come."),
        Reason.CLOCK_AHEAD: _("This scan is dated in the future: check the clock of the scanning device."),
        Reason.SCAN_ID_TAKEN: _("This scan's identifier was already used at another activity: scan the ticket "
                                "again."),
    }


def short(reason: str, outcome) -> str:
    """A scan's result in two or three words, for the list of last scans."""
    if outcome == ScanOutcome.RECORDED:
        return _("Checked in")
    if outcome == ScanOutcome.ALREADY:
        return _("Already checked in")
    labels = {
        Reason.UNKNOWN: _("Unknown code"),
        Reason.OTHER_ACTIVITY: _("Another activity's ticket"),
        Reason.REVOKED: _("Ticket no longer valid"),
        Reason.NOT_CONFIRMED: _("Registration not confirmed"),
        Reason.CANCELLED: _("Activity cancelled"),
        Reason.NOT_PUBLISHED: _("Activity not published"),
        Reason.NO_SESSION: _("No session under way"),
        Reason.STALE: _("Scan too old"),
        Reason.CLOCK_AHEAD: _("Scanner's clock ahead"),
    }
    return labels.get(reason, _("Refused."))


def heading(outcome) -> str:
    """The result's first words, large on the page."""
    if outcome == ScanOutcome.RECORDED:
        return _("Checked in")
    if outcome == ScanOutcome.ALREADY:
        return _("Already checked in")
    return _("Not checked in")
