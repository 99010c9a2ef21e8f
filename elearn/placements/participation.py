"""Completed placements as a participation source for the reports (elearn.participation_sources).

One row per completed placement: the placed person, the first counted day in the report's period, the
placement's programme, days = the counted working days in the period (queries.working_days) and 7 hours each.
The days are counted here in Python (a short list: placements are few) and handed to the report's SQL as a CASE
on the placement's id (SQLite has no column names for a VALUES list, and limits compound SELECTs to 500).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Date, Float, Integer, Select, case, cast, select, type_coerce
from sqlalchemy.orm import selectinload

from elearn.extensions import db
from elearn.participation_sources import register_participation_source
from elearn.placements.models import Placement, PlacementStatus
from elearn.placements.queries import working_days
from elearn.scheduling.models import Modality

if TYPE_CHECKING:
    from elearn.reports.facts import ReportFilters

HOURS_PER_DAY = 7


def placement_participations(filters: ReportFilters) -> Select | None:
    if filters.modality not in (None, Modality.SHADOWING):
        return None
    statement = (select(Placement).where(Placement.status == PlacementStatus.COMPLETED)
                 .options(selectinload(Placement.entries)))
    if filters.topic_id:
        statement = statement.where(Placement.topic_id == filters.topic_id)
    if filters.programme_id:
        statement = statement.where(Placement.programme_id == filters.programme_id)
    if filters.date_from:
        statement = statement.where(Placement.ends_on >= filters.date_from)
    if filters.date_to:
        statement = statement.where(Placement.starts_on <= filters.date_to)
    first_day, counted = {}, {}
    for placement in db.session.scalars(statement):
        days = working_days(placement, filters.date_from, filters.date_to)
        if days:
            first_day[placement.id], counted[placement.id] = days[0], len(days)
    if not counted:
        return None
    days_column = cast(case(counted, value=Placement.id, else_=0), Integer)
    return select(Placement.person_id.label("person_id"),
                  type_coerce(case(first_day, value=Placement.id), Date).label("day"),
                  Placement.programme_id.label("programme_id"), days_column.label("days"),
                  cast(days_column * HOURS_PER_DAY, Float).label("hours")).where(Placement.id.in_(list(counted)))


def install(app) -> None:
    register_participation_source(app, placement_participations)
