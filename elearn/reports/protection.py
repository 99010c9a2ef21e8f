"""How a political-side breakdown is protected, so that no one's side can be worked out from reports.

A trainer knows who attended what, may ask for any filters any number of times,
and may subtract one report from another. Rounding or hiding small cells of each
report does not stop that: two reports that differ by one member differ, now and
then, across a rounding boundary. So side figures are never computed for the
filters asked; they are published for fixed, disjoint blocks, and a report only
adds up published blocks:

- a block is one programme (or no programme) in one calendar quarter;
- a block is published only once its quarter ended more than
  REPORT_SIDE_DELAY_DAYS ago (attendance is complete: a later read cannot be
  compared with an earlier one), and only if it counts REPORT_SIDE_MIN_PEOPLE
  members of parliament or more;
- in a published block, a side of fewer than REPORT_MIN_CELL people, none
  included, shows the same mark (*) in every cell; when that leaves a single row
  hidden a second one is hidden too, so the members' total cannot bring it back;
  every other figure is rounded to a multiple of REPORT_SIDE_ROUNDING;
- a report's side table is the sum of the published blocks it covers whole
  (its programmes or funder, the quarters inside its dates); a parliament,
  modality or topic filter cuts through blocks, so such a report shows no side.

Everything a reader can get about sides is thus a function of the published
blocks, each of which is protected on its own and never changes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Breakdown, Row, Tally

HIDDEN = "*"
NARROW = "narrow"
FEW = "few"
SEPARATOR = "/"


@dataclass(frozen=True)
class SideRules:
    min_cell: int = 3
    min_people: int = 10
    rounding: int = 5
    delay_days: int = 30
    blocks: bool = True  # False: each report protected on its own (what the differencing test breaks), never in use

    @classmethod
    def from_config(cls, config) -> SideRules:
        return cls(min_cell=config["REPORT_MIN_CELL"], min_people=config["REPORT_SIDE_MIN_PEOPLE"],
                   rounding=config["REPORT_SIDE_ROUNDING"], delay_days=config["REPORT_SIDE_DELAY_DAYS"])


def cuts_blocks(filters: ReportFilters) -> bool:
    """Filters that select part of a block: a side breakdown would tell one group from another."""
    return bool(filters.parliament_id or filters.modality or filters.topic_id)


def rounded(value: float, base: int) -> int | float:
    return int(base * math.floor(value / base + 0.5)) if base > 1 else value


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, following - timedelta(days=1)


def _covered(block: str, filters: ReportFilters, today: date, rules: SideRules) -> bool:
    """Whether `block` ("year/quarter/programme") is published and lies whole inside the report's dates."""
    year, quarter, _programme = block.split(SEPARATOR)
    first, last = quarter_span(int(year), int(quarter))
    return (last + timedelta(days=rules.delay_days) < today
            and (filters.date_from is None or filters.date_from <= first)
            and (filters.date_to is None or last <= filters.date_to))


def protect_rows(rows: list[Row], measures: tuple[str, ...], rules: SideRules) -> list[list]:
    """What each row of one protected table shows: rounded figures, or the mark in every cell."""
    for row in rows:
        row.hidden = "small" if row.figures.people < rules.min_cell else None
    hidden = [row for row in rows if row.hidden]
    if len(hidden) == 1:
        others = sorted((row for row in rows if not row.hidden), key=lambda r: r.figures.people)
        if others:
            others[0].hidden = "secondary"
    return [[HIDDEN if row.hidden else rounded(row.figures.value(m), rules.rounding) for m in measures]
            for row in rows]


def protect(breakdown: Breakdown, filters: ReportFilters, blocks: dict[str, dict[str, Tally]],
            members: dict[str, int], today: date, rules: SideRules) -> Breakdown:
    """Fill a side breakdown's rows with the sum of the published blocks it covers, or withhold it.

    `blocks` maps a block to its sides' exact figures and `members` a block to its
    number of members of parliament.
    """
    if rules.blocks and cuts_blocks(filters):
        breakdown.withheld, breakdown.rows = NARROW, []
        return breakdown
    keys = [row.key for row in breakdown.rows]
    published = [block for block in sorted(blocks) if members.get(block, 0) >= rules.min_people
                 and (not rules.blocks or _covered(block, filters, today, rules))]
    if not published:
        breakdown.withheld, breakdown.rows = FEW, []
        return breakdown
    sums: dict[str, list] = {key: [HIDDEN] * len(breakdown.measures) for key in keys}
    for block in published:
        rows = [Row(key, key, blocks[block].get(key, Tally())) for key in keys]
        for key, shown in zip(keys, protect_rows(rows, breakdown.measures, rules), strict=True):
            sums[key] = [value if total == HIDDEN else total + (0 if value == HIDDEN else value)
                         for total, value in zip(sums[key], shown, strict=True)]
    for row in breakdown.rows:
        row.shown = sums[row.key]
        row.hidden = "small" if row.shown[0] == HIDDEN else None
        row.figures = Tally()  # the exact figures stay here: nothing may show them
    return breakdown
