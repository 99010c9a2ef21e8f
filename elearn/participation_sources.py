"""The hook through which features below the reports add participations that are not registrations to an
activity (a mentoring pair, a shadowing placement) to the participation report and the indicators.

It lives in the core because those features sit below `reports` in the layers: they register here, and
reports/aggregates.py reads what they registered, so neither imports the other.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Select

    from elearn.reports.facts import ReportFilters

ParticipationSource = Callable[["ReportFilters"], "Select | None"]
PARTICIPATION_SOURCES = "hemicycle_participation_sources"


def register_participation_source(app, source: ParticipationSource) -> None:
    """Add `source`'s participations to every participation report and to the indicators that read it.

    The source receives the report's filters (reports.facts.ReportFilters) and returns a SELECT of exactly
    these columns, one row per participation: `person_id`, `day` (a date: the participation's first local
    day in the period), and `programme_id`, `days` (whole days of presence) and `hours`; or None when the
    filters leave nothing of it (a modality or topic it does not have: the source decides those two). The
    report applies the period (on `day`), the programme, the funder and the parliament itself, and counts
    the rows as participations without an activity.
    """
    app.extensions.setdefault(PARTICIPATION_SOURCES, []).append(source)
