"""The cost report: planned and actual costs per programme or per funder over a period, added up in SQL.

An activity counts in the period when its first session starts on a day of the period, in the
activity's own timezone. Amounts are never converted: every figure is in one currency.

Funders are the names listed on a programme (Programme.funders). In the funder view a programme's
lines count under each of its funders, so a line of a programme with two funders appears under both and
funder figures are not additive; the totals per currency count every line once.

A report runs a fixed number of statements whatever the number of lines: the programmes, the
activities of the period (when one is given), and one GROUP BY.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.delegations.costs import CostError, Total, sums
from elearn.delegations.costs_models import CostCategory, CostLine
from elearn.delegations.logistics_models import Payer
from elearn.extensions import db
from elearn.scheduling.models import Activity, Programme

PROGRAMME, FUNDER = "programme", "funder"
VIEWS = (PROGRAMME, FUNDER)
# Local days run from UTC+14 to UTC-12: the widest span of UTC instants a local date can cover.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=14), timedelta(hours=12)


@dataclass(frozen=True)
class CostFilters:
    """What the report covers; every part optional. Dates are the activities' local dates."""

    date_from: date | None = None
    date_to: date | None = None
    programme_id: int | None = None
    funder: str = ""
    view: str = PROGRAMME

    def as_args(self) -> dict[str, str]:
        values = {"date_from": self.date_from.isoformat() if self.date_from else "",
                  "date_to": self.date_to.isoformat() if self.date_to else "",
                  "programme_id": self.programme_id or "", "funder": self.funder, "view": self.view}
        return {name: str(value) for name, value in values.items() if value}


@dataclass(frozen=True)
class ReportRow:
    group: str  # the programme's title or the funder's name
    category: CostCategory
    payer: Payer
    currency: str
    planned: Decimal
    actual: Decimal
    without_actual: int


@dataclass(frozen=True)
class CostReport:
    filters: CostFilters
    rows: list[ReportRow]
    totals: list[Total]  # per currency, every line once


def check_period(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_to < date_from:
        raise CostError(_("The end of the period is before its start."), "date_to")


def funder_names(programmes) -> list[str]:
    return sorted({name for programme in programmes for name in programme.funders}, key=str.lower)


def build(filters: CostFilters) -> CostReport:
    check_period(filters.date_from, filters.date_to)
    programmes = {p.id: p for p in db.session.scalars(select(Programme).order_by(Programme.title))}
    statement = (select(Activity.programme_id, CostLine.category, CostLine.payer, CostLine.currency, *sums())
                 .join(Activity, Activity.id == CostLine.activity_id)
                 .group_by(Activity.programme_id, CostLine.category, CostLine.payer, CostLine.currency))
    chosen = _chosen_programmes(filters, programmes)
    if chosen is not None:
        statement = statement.where(Activity.programme_id.in_(chosen))
    if filters.date_from or filters.date_to:
        statement = statement.where(Activity.id.in_(_activities_in_period(filters, chosen)))
    grouped = db.session.execute(statement).all()
    totals = _totals(grouped)
    if filters.view == FUNDER:
        rows = _by_funder(grouped, programmes, filters.funder)
    else:
        rows = [ReportRow(_programme_title(programmes, row.programme_id), row.category, row.payer, row.currency,
                          row.planned, row.actual, int(row.without_actual)) for row in grouped]
    return CostReport(filters, sorted(rows, key=_order), totals)


def _chosen_programmes(filters: CostFilters, programmes: dict[int, Programme]) -> list[int] | None:
    """The programmes the filters keep (None: no restriction, lines without a programme included)."""
    if filters.programme_id is None and not filters.funder:
        return None
    return [pid for pid, programme in programmes.items()
            if (filters.programme_id is None or pid == filters.programme_id)
            and (not filters.funder or filters.funder in programme.funders)]


def _activities_in_period(filters: CostFilters, chosen: list[int] | None) -> list[int]:
    """Activities whose first session starts on a day of the period in their own timezone.

    SQL narrows them to the UTC span the period's local days can cover; the exact day is then
    read with each activity's zone (one statement, whatever the number of cost lines).
    """
    statement = select(Activity.id, Activity.starts_at, Activity.timezone).where(Activity.starts_at.is_not(None))
    if filters.date_from:
        statement = statement.where(
            Activity.starts_at >= datetime.combine(filters.date_from, time(), timezone.utc) - EARLIEST_OFFSET)
    if filters.date_to:
        statement = statement.where(
            Activity.starts_at < datetime.combine(filters.date_to + timedelta(days=1), time(), timezone.utc)
            + LATEST_OFFSET)
    if chosen is not None:
        statement = statement.where(Activity.programme_id.in_(chosen))
    kept = []
    for activity_id, starts_at, zone in db.session.execute(statement):
        day = starts_at.astimezone(ZoneInfo(zone)).date()
        if (filters.date_from is None or day >= filters.date_from) and (filters.date_to is None or day <= filters.date_to):
            kept.append(activity_id)
    return kept


def _programme_title(programmes: dict[int, Programme], programme_id: int | None) -> str:
    programme = programmes.get(programme_id) if programme_id is not None else None
    return programme.title if programme else _("No programme")


def _by_funder(grouped, programmes: dict[int, Programme], only: str) -> list[ReportRow]:
    """Each programme's sums under each of its funders (the grouped rows are few: programmes × categories ×
    payers × currencies), merged per funder."""
    merged: dict[tuple, list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    for row in grouped:
        programme = programmes.get(row.programme_id) if row.programme_id is not None else None
        for funder in (programme.funders if programme and programme.funders else [_("No funder")]):
            if only and funder != only:
                continue
            figures = merged[(funder, row.category, row.payer, row.currency)]
            figures[0] += row.planned
            figures[1] += row.actual
            figures[2] += int(row.without_actual)
    return [ReportRow(funder, category, payer, currency, *figures)
            for (funder, category, payer, currency), figures in merged.items()]


def _totals(grouped) -> list[Total]:
    """Per currency: each line is in exactly one programme group, so these sums count it once."""
    per_currency: dict[str, list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    for row in grouped:
        figures = per_currency[row.currency]
        figures[0] += row.planned
        figures[1] += row.actual
        figures[2] += int(row.without_actual)
    return [Total("", currency, *per_currency[currency]) for currency in sorted(per_currency)]


CATEGORY_ORDER = {member: index for index, member in enumerate(CostCategory)}
PAYER_ORDER = {member: index for index, member in enumerate(Payer)}


def _order(row: ReportRow):
    return (row.group.lower(), CATEGORY_ORDER[row.category], PAYER_ORDER[row.payer], row.currency)


def table(report: CostReport) -> tuple[list[str], list[list]]:
    """The report's rows for the CSV and XLSX files: header, then one line per row."""
    header = [_("Funder") if report.filters.view == FUNDER else _("Programme"), _("Category"), _("Payer"),
              _("Currency"), _("Planned"), _("Actual"), _("Lines without an actual amount")]
    return header, [[row.group, str(row.category.label), str(row.payer.label), row.currency, row.planned,
                     row.actual, row.without_actual] for row in report.rows]


def totals_table(report: CostReport) -> tuple[list[str], list[list]]:
    header = [_("Currency"), _("Planned"), _("Actual"), _("Lines without an actual amount")]
    return header, [[t.currency, t.planned, t.actual, t.without_actual] for t in report.totals]
