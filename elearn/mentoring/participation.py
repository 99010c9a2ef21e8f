"""Mentoring in the participation reports and the results framework: the mentee's held meetings.

One row per pair (the mentee's participation) with `days` = the distinct local days of its held meetings in
the period (each meeting's day in its own zone) and `hours` = the sum of those meetings' hours. A modality
filter keeps them only for international mentoring; a topic filter, only the pairs of that topic.

The reports sit above this package, so the source is handed to them through the core hook
(elearn.participation_sources), not an import. The report installs `hc_local_date` on a SQLite connection before it runs any
statement (reports/sql.py); this module only names it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Date, Float, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from elearn.mentoring.models import MeetingStatus, MentoringMeeting, MentoringPair
from elearn.participation_sources import register_participation_source
from elearn.scheduling.models import Modality

if TYPE_CHECKING:
    from elearn.reports.facts import ReportFilters

class meeting_day(FunctionElement):  # noqa: N801 - reads like the SQL function it is
    """meeting_day(utc_timestamp, zone_name): the local date, as the reports' local_date computes it."""

    type = Date()
    inherit_cache = True
    name = "meeting_day"


class meeting_hours(FunctionElement):  # noqa: N801
    type = Float()
    inherit_cache = True
    name = "meeting_hours"


def _args(element, compiler, **kw):
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(meeting_day, "postgresql")
def _day_pg(element, compiler, **kw):
    moment, zone = _args(element, compiler, **kw)
    return f"CAST(({moment} AT TIME ZONE {zone}) AS DATE)"


@compiles(meeting_day)
def _day_sqlite(element, compiler, **kw):
    moment, zone = _args(element, compiler, **kw)
    return f"hc_local_date({moment}, {zone})"


@compiles(meeting_hours, "postgresql")
def _hours_pg(element, compiler, **kw):
    start, end = _args(element, compiler, **kw)
    return f"ROUND(CAST(EXTRACT(EPOCH FROM ({end} - {start})) / 3600 AS NUMERIC), 2)"


@compiles(meeting_hours)
def _hours_sqlite(element, compiler, **kw):
    start, end = _args(element, compiler, **kw)
    return f"ROUND((julianday({end}) - julianday({start})) * 24, 2)"


def participations(filters: ReportFilters):
    """The source the reports call: a SELECT of (person_id, day, programme_id, days, hours), or None."""
    if filters.modality is not None and filters.modality != Modality.INTERNATIONAL_MENTORING:
        return None
    day = meeting_day(MentoringMeeting.starts_at, MentoringMeeting.timezone)
    statement = (select(MentoringPair.mentee_id.label("person_id"), func.min(day).label("day"),
                        MentoringPair.programme_id.label("programme_id"),
                        func.count(func.distinct(day)).label("days"),
                        func.sum(meeting_hours(MentoringMeeting.starts_at, MentoringMeeting.ends_at)).label("hours"))
                 .join(MentoringPair, MentoringPair.id == MentoringMeeting.pair_id)
                 .where(MentoringMeeting.status == MeetingStatus.HELD))
    if filters.topic_id:
        statement = statement.where(MentoringPair.topic_id == filters.topic_id)
    # Only the meetings in the period count: a pair that met in two quarters is in each quarter's report.
    if filters.date_from:
        statement = statement.where(day >= filters.date_from)
    if filters.date_to:
        statement = statement.where(day <= filters.date_to)
    return statement.group_by(MentoringPair.id, MentoringPair.mentee_id, MentoringPair.programme_id)


def install(app) -> None:
    register_participation_source(app, participations)
