"""The donor report of one programme and period, as plain data: indicators against targets and the
activities behind them. The page, the XLSX and the PDF are three layouts of the same `DonorReport`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn import sql_dates as sql
from elearn.database import utcnow
from elearn.evaluation.indicator_sources import Period, Sources
from elearn.evaluation.indicators import actual, elapsed_share, on_track, programme_indicators
from elearn.extensions import db
from elearn.reports.aggregates import attendance_facts, held_activities
from elearn.reports.facts import ReportFilters
from elearn.scheduling.models import Activity, Programme


@dataclass(frozen=True)
class IndicatorLine:
    title: str
    description: str
    measure: str
    unit: str
    baseline: float | None
    baseline_on: date | None
    target: float
    lower_is_better: bool
    actual: float | None
    reason: str
    note: str
    entered: bool
    on_track: bool | None


@dataclass(frozen=True)
class ActivityLine:
    title: str
    starts_on: date
    ends_on: date
    modality: str
    participants: int


@dataclass(frozen=True)
class DonorReport:
    programme: str
    funders: list[str]
    period: Period
    indicators: list[IndicatorLine]
    activities: list[ActivityLine]
    generated_at: datetime

    @property
    def participants(self) -> int:
        return sum(a.participants for a in self.activities)


def number(value: float | None) -> str:
    """A figure in the reader's locale, whole numbers without decimals; an empty string for none."""
    if value is None:
        return ""
    return format_decimal(round(value, 1), format="#,##0.#")


def track_text(value: bool | None) -> str:
    return {True: _("On track"), False: _("Behind"), None: _("Not known")}[value]


def _activities(programme: Programme, period: Period, now: datetime) -> list[ActivityLine]:
    """The programme's activities held in the period with their participants, in two statements."""
    sql.install()
    filters = ReportFilters(date_from=period.start, date_to=period.end, programme_id=programme.id)
    held = held_activities(filters, {}, now).subquery("held")
    activities = db.session.scalars(select(Activity).where(Activity.id.in_(select(held.c.activity_id)))
                                    .order_by(Activity.starts_at, Activity.id)).all()
    _held, facts = attendance_facts(filters, {}, now)
    counts = dict(db.session.execute(select(facts.c.activity_id, func.count(func.distinct(facts.c.person_id)))
                                     .group_by(facts.c.activity_id)).all())
    return [ActivityLine(a.title, a.starts_at.astimezone(a.zone).date(), a.ends_at.astimezone(a.zone).date(),
                         str(a.modality.label), int(counts.get(a.id, 0))) for a in activities]


def build_donor_report(programme: Programme, period: Period, *, now: datetime | None = None) -> DonorReport:
    now = now or utcnow()
    sources = Sources(programme.id, period, now)
    elapsed = elapsed_share(programme, period)
    lines = []
    for indicator in programme_indicators(programme):
        found = actual(indicator, sources)
        lines.append(IndicatorLine(
            title=indicator.title, description=indicator.description, measure=str(indicator.measure.label),
            unit=indicator.unit, baseline=indicator.baseline_value, baseline_on=indicator.baseline_on,
            target=indicator.target_value, lower_is_better=indicator.direction.value == "lower",
            actual=found.value, reason=found.reason, note=found.note, entered=found.entered,
            on_track=on_track(indicator, found.value, elapsed)))
    return DonorReport(programme=programme.title, funders=list(programme.funders), period=period,
                       indicators=lines, activities=_activities(programme, period, now), generated_at=now)


def indicator_header() -> list[str]:
    return [_("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Actual"), _("Progress"), _("Note")]


def indicator_rows(report: DonorReport) -> list[list]:
    return [[line.title, line.unit, "" if line.baseline is None else line.baseline, line.target,
             "" if line.actual is None else line.actual, track_text(line.on_track),
             line.note or line.reason] for line in report.indicators]


def activity_header() -> list[str]:
    return [_("Activity"), _("From"), _("Until"), _("Modality"), _("Participants")]


def activity_rows(report: DonorReport) -> list[list]:
    return [[a.title, a.starts_on, a.ends_on, a.modality, a.participants] for a in report.activities]


def period_text(period: Period) -> str:
    return _("From %(start)s to %(end)s", start=format_date(period.start, "long"), end=format_date(period.end, "long"))


def to_sheets(report: DonorReport) -> list[tuple[str, list[str], list[list]]]:
    return [(_("Indicators"), indicator_header(), indicator_rows(report)),
            (_("Activities"), activity_header(), activity_rows(report))]
