"""Tables exactly as the page, the CSV and the spreadsheet show them, hidden cells marked."""
from __future__ import annotations

from dataclasses import dataclass, field

from elearn.reports.figures import Breakdown
from elearn.reports.slices import measure_headers


@dataclass
class Table:
    """A table exactly as the page, the CSV and the spreadsheet show it."""

    key: str
    title: str
    sheet: str
    header: list[str]
    rows: list[list]
    notes: list[str] = field(default_factory=list)


def breakdown_table(breakdown: Breakdown) -> Table:
    """A slice's rows; a protected slice's as its rules let them show, a withheld one's with no rows."""
    completions = breakdown.key.endswith("-completions")
    rows = [[row.label] + (row.shown if row.shown is not None else [row.figures.value(m) for m in breakdown.measures])
            for row in breakdown.rows]
    return Table(breakdown.key, breakdown.title, breakdown.sheet,
                 [breakdown.label_header] + measure_headers(breakdown.measures, completions), rows, breakdown.notes)
