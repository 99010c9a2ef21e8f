"""Services for a programme's results framework: indicators, values entered by hand, actuals and progress."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, select

from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.database import utcnow
from elearn.errors import UserError
from elearn.evaluation.indicator_models import Direction, Indicator, IndicatorValue, Measure
from elearn.evaluation.indicator_sources import Period, Reading, Sources
from elearn.extensions import db
from elearn.scheduling.models import Programme

MAX_PERIODS = 6


class IndicatorError(UserError):
    pass


@dataclass(frozen=True)
class IndicatorInput:
    title: str
    measure: str
    target_value: float | None
    description: str = ""
    unit: str = ""
    baseline_value: float | None = None
    baseline_on: date | None = None
    direction: str = Direction.HIGHER.value


@dataclass(frozen=True)
class ValueInput:
    period_start: date | None
    period_end: date | None
    value: float | None
    note: str = ""


def _number(value, field: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise IndicatorError(_("Enter a number."), field) from None
    if not math.isfinite(number):
        raise IndicatorError(_("Enter a number."), field)
    return number


def _checked(data: IndicatorInput) -> tuple[Measure, Direction, float, float | None]:
    if not data.title.strip():
        raise IndicatorError(_("Give the indicator a title."), "title")
    try:
        measure = Measure(data.measure)
    except ValueError:
        raise IndicatorError(_("Choose a measure from the list."), "measure") from None
    try:
        direction = Direction(data.direction)
    except ValueError:
        raise IndicatorError(_("Choose a direction from the list."), "direction") from None
    target = _number(data.target_value, "target_value")
    if target is None:
        raise IndicatorError(_("Enter the target."), "target_value")
    return measure, direction, target, _number(data.baseline_value, "baseline_value")


def save_indicator(programme: Programme, data: IndicatorInput, indicator: Indicator | None = None, *,
                   actor=None) -> Indicator:
    """Add an indicator to `programme`, or change one of its own; nothing is saved if a field is refused."""
    measure, direction, target, baseline = _checked(data)
    if indicator is None:
        indicator = Indicator(programme_id=programme.id)
        db.session.add(indicator)
    indicator.title, indicator.description = data.title.strip(), data.description.strip()
    indicator.measure, indicator.direction, indicator.unit = measure, direction, data.unit.strip()
    indicator.target_value, indicator.baseline_value, indicator.baseline_on = target, baseline, data.baseline_on
    db.session.flush()
    record(AuditAction.INDICATOR_SAVED, actor=actor, object_type="indicator", object_id=indicator.id,
           details={"programme_id": programme.id, "measure": measure.value})
    db.session.commit()
    return indicator


def delete_indicator(indicator: Indicator, *, actor=None) -> None:
    """Delete an indicator and the values entered for it (they mean nothing without it)."""
    record(AuditAction.INDICATOR_DELETED, actor=actor, object_type="indicator", object_id=indicator.id,
           details={"programme_id": indicator.programme_id, "title": indicator.title})
    db.session.execute(delete(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id))
    db.session.execute(delete(Indicator).where(Indicator.id == indicator.id))
    db.session.commit()


def checked_period(start: date | None, end: date | None, *, start_field: str = "period_start",
                   end_field: str = "period_end") -> Period:
    if start is None:
        raise IndicatorError(_("Enter the first day of the period."), start_field)
    if end is None:
        raise IndicatorError(_("Enter the last day of the period."), end_field)
    if end < start:
        raise IndicatorError(_("The period cannot end before it starts."), end_field)
    return Period(start, end)


def record_value(indicator: Indicator, data: ValueInput, *, actor=None) -> IndicatorValue:
    """Enter the actual for a period (replacing one entered for the same period); an override needs a note."""
    period = checked_period(data.period_start, data.period_end)
    value = _number(data.value, "value")
    if value is None:
        raise IndicatorError(_("Enter the value."), "value")
    note = data.note.strip()
    if indicator.computed and not note:
        raise IndicatorError(_("Say in a note why the computed figure is replaced."), "note")
    entry = db.session.scalar(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator.id, IndicatorValue.period_start == period.start,
        IndicatorValue.period_end == period.end))
    if entry is None:
        entry = IndicatorValue(indicator_id=indicator.id, period_start=period.start, period_end=period.end)
        db.session.add(entry)
    entry.value, entry.note, entry.entered_at = value, note, utcnow()
    entry.entered_by_id = getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None
    db.session.flush()
    record(AuditAction.INDICATOR_VALUE_RECORDED, actor=actor, object_type="indicator", object_id=indicator.id,
           details={"period": f"{period.start.isoformat()}/{period.end.isoformat()}", "value": value})
    db.session.commit()
    return entry


# Reading the framework ------------------------------------------------------------------------

@dataclass(frozen=True)
class Actual:
    value: float | None
    reason: str = ""
    note: str = ""
    entered: bool = False  # entered by hand (a manual value, or an override of the computed one)


@dataclass(frozen=True)
class Cell:
    period: Period
    actual: Actual
    on_track: bool | None


def entered_value(indicator: Indicator, period: Period) -> IndicatorValue | None:
    """The value entered for a period inside `period`: the one that ends last (the most recent figure)."""
    inside = [v for v in indicator.values if period.contains(Period(v.period_start, v.period_end))]
    return max(inside, key=lambda v: (v.period_end, v.period_start), default=None)


def actual(indicator: Indicator, sources: Sources) -> Actual:
    entry = entered_value(indicator, sources.period)
    if entry is not None:
        return Actual(entry.value, note=entry.note, entered=True)
    if not indicator.computed:
        return Actual(None, _("no value entered"))
    reading: Reading = sources.read(indicator.measure)
    return Actual(reading.value, reading.reason)


def elapsed_share(programme: Programme, period: Period) -> float:
    """How much of the programme has run by the period's end (1 when its dates are not known)."""
    if not programme.starts_on or not programme.ends_on or programme.ends_on <= programme.starts_on:
        return 1.0
    done = (min(period.end, programme.ends_on) - programme.starts_on).days
    return max(0.0, min(1.0, done / (programme.ends_on - programme.starts_on).days))


def on_track(indicator: Indicator, value: float | None, elapsed: float = 1.0) -> bool | None:
    """Whether `value` reached the target, or, before the programme's end, the share of the way from the
    baseline to the target that the time elapsed calls for. None: no value to judge."""
    if value is None:
        return None
    baseline = indicator.baseline_value
    expected = indicator.target_value
    if baseline is not None and elapsed < 1:
        expected = baseline + (indicator.target_value - baseline) * elapsed
    if indicator.direction == Direction.LOWER:
        return value <= expected
    return value >= expected


def programme_periods(programme: Programme, today: date) -> list[Period]:
    """Calendar years of the programme up to this year (the last MAX_PERIODS), or this year alone."""
    first = programme.starts_on.year if programme.starts_on else today.year
    last = min(programme.ends_on.year if programme.ends_on else today.year, max(today.year, first))
    years = list(range(first, last + 1))[-MAX_PERIODS:]
    return [Period(date(y, 1, 1), date(y, 12, 31)) for y in years]


def programme_indicators(programme: Programme) -> list[Indicator]:
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(select(Indicator).where(Indicator.programme_id == programme.id)
                                   .options(selectinload(Indicator.values)).order_by(Indicator.id)))


@dataclass(frozen=True)
class FrameworkRow:
    indicator: Indicator
    cells: list[Cell]


def framework(programme: Programme, periods: list[Period], *, now=None) -> list[FrameworkRow]:
    """Each indicator with its actual and progress per period; the sources run once per period."""
    now = now or utcnow()
    indicators = programme_indicators(programme)
    sources = {period: Sources(programme.id, period, now) for period in periods}
    rows = []
    for indicator in indicators:
        cells = []
        for period in periods:
            found = actual(indicator, sources[period])
            cells.append(Cell(period, found, on_track(indicator, found.value, elapsed_share(programme, period))))
        rows.append(FrameworkRow(indicator, cells))
    return rows
