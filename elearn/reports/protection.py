"""How a political-side breakdown is protected, so that no one's side can be worked out from reports.

A trainer knows who attended what, may ask for any filters any number of times,
and may subtract one report from another. Hiding small cells or rounding each
report does not stop that: two reports that differ by one member differ, now and
then, across a rounding boundary, and a member who attended more than others
weighs more in participations or hours. So side figures are never computed for
the filters asked:

- they are published for fixed, disjoint blocks: one programme (or none) in one
  calendar quarter, once the quarter ended more than REPORT_SIDE_DELAY_DAYS ago
  (attendance is complete, so a later read has nothing new to compare), and only
  for blocks of REPORT_SIDE_MIN_PEOPLE members of parliament or more;
- a block shows people only (one member weighs one, however often they came),
  each side's count with noise added (two-sided geometric, REPORT_SIDE_NOISE is
  its epsilon) drawn from a keyed hash of the block, the side and which people it
  counts: the same block reads the same every time, so asking again averages
  nothing away, and no figure is ever exact;
- then a count under REPORT_MIN_CELL, none included, shows the same mark (*);
  when that leaves one row hidden a second one is hidden too; every other
  figure is rounded to a multiple of REPORT_SIDE_ROUNDING;
- a report's side table adds up the published blocks it covers whole (its
  programmes or funder, the quarters inside its dates); a parliament, modality or
  topic filter cuts through blocks, so such a report shows no side at all.

Everything a reader can learn about sides is a function of the published blocks,
each protected on its own and fixed once published.
"""
from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Breakdown, Row, Tally

HIDDEN = "*"
NARROW = "narrow"
FEW = "few"
SEPARATOR = "/"
PROTECTED_MEASURES = ("people",)


@dataclass(frozen=True)
class SideRules:
    min_cell: int = 3
    min_people: int = 10
    rounding: int = 5
    delay_days: int = 30
    noise: float = 1.0  # epsilon of the noise on each published count; 0: none
    secret: bytes = field(default=b"", repr=False)
    # False: each report protected on its own, with exact figures for any filter. Only to show, in tests,
    # what the rules above stop; never configured.
    blocks: bool = True

    @classmethod
    def from_config(cls, config) -> SideRules:
        return cls(min_cell=config["REPORT_MIN_CELL"], min_people=config["REPORT_SIDE_MIN_PEOPLE"],
                   rounding=config["REPORT_SIDE_ROUNDING"], delay_days=config["REPORT_SIDE_DELAY_DAYS"],
                   noise=config["REPORT_SIDE_NOISE"], secret=str(config["SECRET_KEY"]).encode())


def cuts_blocks(filters: ReportFilters) -> bool:
    """Filters that select part of a block: a side breakdown would set one group against another."""
    return bool(filters.parliament_id or filters.modality or filters.topic_id)


def rounded(value: float, base: int) -> int | float:
    return int(base * math.floor(value / base + 0.5)) if base > 1 else value


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, following - timedelta(days=1)


def covered(block: str, filters: ReportFilters, today: date, rules: SideRules) -> bool:
    """Whether `block` ("year/quarter/programme") is published and lies whole inside the report's dates."""
    year, quarter, _programme = block.split(SEPARATOR)
    first, last = quarter_span(int(year), int(quarter))
    return (last + timedelta(days=rules.delay_days) < today
            and (filters.date_from is None or filters.date_from <= first)
            and (filters.date_to is None or last <= filters.date_to))


def noise(rules: SideRules, *key) -> int:
    """Two-sided geometric noise, the same for the same key, unpredictable without the secret."""
    if not rules.noise:
        return 0
    digest = hmac.new(rules.secret, "|".join(map(str, key)).encode(), hashlib.sha256).digest()
    alpha = math.exp(-rules.noise)

    def geometric(chunk: bytes) -> int:
        uniform = (int.from_bytes(chunk, "big") + 1) / (2 ** 64 + 1)  # in (0, 1)
        return int(math.floor(math.log(uniform) / math.log(alpha)))

    return geometric(digest[:8]) - geometric(digest[8:16])


def protect_rows(rows: list[Row], measures: tuple[str, ...], rules: SideRules, block: str = "") -> list[list]:
    """What each row of one block shows: noisy rounded figures, or the mark in every cell."""
    values = {row.key: [row.figures.value(m) + (noise(rules, block, row.key, m, row.figures.people,
                                                       row.figures.fingerprint) if row.figures.people else 0)
                        for m in measures] for row in rows}
    people = measures.index("people")
    for row in rows:
        row.hidden = "small" if values[row.key][people] < rules.min_cell else None
    hidden = [row for row in rows if row.hidden]
    if len(hidden) == 1:
        others = sorted((row for row in rows if not row.hidden), key=lambda r: values[r.key][people])
        if others:
            others[0].hidden = "secondary"
    return [[HIDDEN if row.hidden else rounded(value, rules.rounding) for value in values[row.key]] for row in rows]


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
                 and (not rules.blocks or covered(block, filters, today, rules))]
    if not published:
        breakdown.withheld, breakdown.rows = FEW, []
        return breakdown
    sums: dict[str, list] = {key: [HIDDEN] * len(breakdown.measures) for key in keys}
    for block in published:
        rows = [Row(key, key, blocks[block].get(key, Tally())) for key in keys]
        for key, shown in zip(keys, protect_rows(rows, breakdown.measures, rules, block), strict=True):
            sums[key] = [value if total == HIDDEN else total + (0 if value == HIDDEN else value)
                         for total, value in zip(sums[key], shown, strict=True)]
    for row in breakdown.rows:
        row.shown = sums[row.key]
        row.hidden = "small" if row.shown[0] == HIDDEN else None
        row.figures = Tally()  # the exact figures stay here: nothing may show them
    return breakdown
