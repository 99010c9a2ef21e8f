"""Mentoring in the participation reports and the results framework: the mentee's held meetings.

One row per pair (the mentee's participation) with `days` = the distinct local days of its held meetings in
the period (each meeting's day in its own zone) and `hours` = the sum of those meetings' hours. A modality
filter keeps them only for international mentoring; a topic filter, only the pairs of that topic.

The reports sit above this package, so the source is handed to them through the core hook
(elearn.participation_sources), not an import; local dates and hours are the core's SQL (elearn.sql_dates), the
same the reports use, installed on the connection by the report before it runs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from elearn import sql_dates as sql
from elearn.mentoring.models import MeetingStatus, MentoringMeeting, MentoringPair
from elearn.participation_sources import register_participation_source
from elearn.scheduling.models import Modality

if TYPE_CHECKING:
    from elearn.reports.facts import ReportFilters


def participations(filters: ReportFilters):
    """The source the reports call: a SELECT of (person_id, day, programme_id, days, hours), or None."""
    if filters.modality is not None and filters.modality != Modality.INTERNATIONAL_MENTORING:
        return None
    day = sql.local_date(MentoringMeeting.starts_at, MentoringMeeting.timezone)
    statement = (select(MentoringPair.mentee_id.label("person_id"), func.min(day).label("day"),
                        MentoringPair.programme_id.label("programme_id"),
                        func.count(func.distinct(day)).label("days"),
                        func.sum(sql.hours_between(MentoringMeeting.starts_at, MentoringMeeting.ends_at)).label("hours"))
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
