"""Tables exactly as the page, the CSV and the spreadsheet show them, hidden cells marked."""
from __future__ import annotations

from dataclasses import dataclass, field

from elearn.reports.figures import Breakdown
from elearn.reports.slices import measure_headers
from elearn.reports.suppression import HIDDEN


@dataclass
class Table:
    """A table exactly as the page, the CSV and the spreadsheet show it."""

    key: str
    title: str
    sheet: str
    header: list[str]
    rows: list[list]
    notes: list[str] = field(default_factory=list)


def breakdown_table(breakdown: Breakdown, minimum: int) -> Table:
    completions = breakdown.key.endswith("-completions")
    rows = []
    for row in breakdown.rows:
        if row.hidden == "small":
            values = [f"<{minimum}" if m == "people" else HIDDEN for m in breakdown.measures]
        elif row.hidden:
            values = [HIDDEN for _m in breakdown.measures]
        else:
            values = [row.figures.value(m) for m in breakdown.measures]
        rows.append([row.label] + values)
    return Table(breakdown.key, breakdown.title, breakdown.sheet,
                 [breakdown.label_header] + measure_headers(breakdown.measures, completions), rows, breakdown.notes)
