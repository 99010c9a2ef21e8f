"""How a political-side breakdown is protected, so that no one's side can be worked out from reports.

A trainer knows who attended what, and may ask for any filters, any number of
times, and subtract one report from another. So a side breakdown is given only
when all of these hold, and each rule depends only on figures the report shows
anyway (never on the sides themselves):

- the report is coarse: no modality, topic or date filter other than whole
  calendar years (programme, funder and parliament are allowed), so no filter
  can isolate one activity or one day;
- the report counts at least `min_people` members of parliament (REPORT_SIDE_MIN_PEOPLE);
- every figure shown is rounded to a multiple of `rounding` (REPORT_SIDE_ROUNDING),
  so the difference of two reports is never exact;
- a row of fewer than `min_cell` people (REPORT_MIN_CELL), zero included, shows
  the same mark in every cell, and when that leaves one row hidden a second one is
  hidden too, so the members' total cannot bring it back.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Breakdown

HIDDEN = "*"
NARROW = "narrow"
FEW = "few"


@dataclass(frozen=True)
class SideRules:
    min_cell: int = 3
    min_people: int = 10
    rounding: int = 5
    fine_filters: bool = False  # True lets any filter narrow a side breakdown: only to show what the rules stop

    @classmethod
    def from_config(cls, config) -> SideRules:
        return cls(min_cell=config["REPORT_MIN_CELL"], min_people=config["REPORT_SIDE_MIN_PEOPLE"],
                   rounding=config["REPORT_SIDE_ROUNDING"])


def is_narrow(filters: ReportFilters) -> bool:
    """Filters fine enough to isolate a day or an activity: a side breakdown would invite differencing."""
    whole_years = ((filters.date_from is None or (filters.date_from.month, filters.date_from.day) == (1, 1))
                   and (filters.date_to is None or (filters.date_to.month, filters.date_to.day) == (12, 31)))
    return bool(filters.modality or filters.topic_id or not whole_years)


def withheld(filters: ReportFilters, members: int, rules: SideRules) -> str | None:
    """Why no side figure may be shown (NARROW or FEW), or None; `members` is the report's count of MPs."""
    if not rules.fine_filters and is_narrow(filters):
        return NARROW
    if members < rules.min_people:
        return FEW
    return None


def rounded(value: float, base: int) -> int:
    return int(base * math.floor(value / base + 0.5)) if base > 1 else value


def protect(breakdown: Breakdown, filters: ReportFilters, members: int, rules: SideRules) -> Breakdown:
    """Set what each row of a side breakdown shows (`row.shown`), or withhold the whole breakdown."""
    breakdown.withheld = withheld(filters, members, rules)
    if breakdown.withheld:
        breakdown.rows = []
        return breakdown
    rows = breakdown.rows
    for row in rows:
        row.hidden = "small" if row.figures.people < rules.min_cell else None
    hidden = [row for row in rows if row.hidden]
    if len(hidden) == 1:
        others = sorted((row for row in rows if not row.hidden), key=lambda r: r.figures.people)
        if others:
            others[0].hidden = "secondary"
    for row in rows:
        row.shown = [HIDDEN if row.hidden else rounded(row.figures.value(m), rules.rounding)
                     for m in breakdown.measures]
    return breakdown
