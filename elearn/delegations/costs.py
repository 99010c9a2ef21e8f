"""Cost lines of an activity: who may manage them, checks, add / change / delete, and the activity's totals."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.database import utcnow
from elearn.delegations.costs_models import CostCategory, CostLine
from elearn.delegations.logistics_models import Logistics, Payer
from elearn.delegations.money import check_currency
from elearn.errors import UserError
from elearn.extensions import db
from elearn.scheduling.models import Activity, Registration, RegistrationState

# Numeric(12, 2): ten digits before the point.
MAX_AMOUNT = Decimal("9999999999.99")
# Whose per-diem counts as planned: the people expected to come.
EXPECTED = (RegistrationState.CONFIRMED, RegistrationState.REQUESTED)


class CostError(UserError):
    pass


@dataclass(frozen=True)
class CostInput:
    """A cost line as typed in a form: text, checked and converted by `check`."""

    category: str
    payer: str
    planned_amount: str
    currency: str
    actual_amount: str = ""
    description: str = ""


@dataclass(frozen=True)
class CheckedCost:
    category: CostCategory
    payer: Payer
    planned_amount: Decimal
    actual_amount: Decimal | None
    currency: str
    description: str


def parse_amount(value, field: str, *, required: bool) -> Decimal | None:
    """An amount of money from a form: a number ≥ 0 with at most two decimals; a comma may be the point."""
    text = str(value if value is not None else "").strip().replace(" ", "").replace("\u202f", "")
    if not text:
        if required:
            raise CostError(_("Enter an amount."), field)
        return None
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise CostError(_("“%(value)s” is not a number.", value=value), field) from None
    if not amount.is_finite():
        raise CostError(_("“%(value)s” is not a number.", value=value), field)
    if amount < 0:
        raise CostError(_("An amount cannot be negative."), field)
    if amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise CostError(_("Enter an amount below ten billion, with at most two decimals."), field)
    return amount.quantize(Decimal("0.01"))


def _member(enum_cls, value: str, field: str):
    try:
        return enum_cls(value)
    except ValueError:
        raise CostError(_("Choose one of the values offered."), field) from None


def check(data: CostInput) -> CheckedCost:
    """Every field checked, the first problem raised with its field's name."""
    description = (data.description or "").strip()
    if len(description) > 2000:
        raise CostError(_("Keep the description under 2,000 characters."), "description")
    return CheckedCost(
        category=_member(CostCategory, data.category, "category"),
        payer=_member(Payer, data.payer, "payer"),
        planned_amount=parse_amount(data.planned_amount, "planned_amount", required=True),
        actual_amount=parse_amount(data.actual_amount, "actual_amount", required=False),
        currency=check_currency(data.currency, CostError, "currency"),
        description=description)


def add_line(activity: Activity, data: CostInput, actor) -> CostLine:
    checked = check(data)
    now = utcnow()
    line = CostLine(activity_id=activity.id, created_at=now, updated_at=now, created_by_id=_id(actor),
                    updated_by_id=_id(actor), **vars(checked))
    db.session.add(line)
    db.session.flush()
    record(AuditAction.COST_LINE_ADDED, actor=actor, object_type="cost_line", object_id=line.id,
           details=_details(line))
    db.session.commit()
    return line


def update_line(line: CostLine, data: CostInput, actor) -> CostLine:
    checked = check(data)  # before any change: a refusal leaves the line as it was
    for name, value in vars(checked).items():
        setattr(line, name, value)
    line.updated_at, line.updated_by_id = utcnow(), _id(actor)
    record(AuditAction.COST_LINE_CHANGED, actor=actor, object_type="cost_line", object_id=line.id,
           details=_details(line))
    db.session.commit()
    return line


def delete_line(line: CostLine, actor) -> None:
    record(AuditAction.COST_LINE_DELETED, actor=actor, object_type="cost_line", object_id=line.id,
           details=_details(line))
    db.session.delete(line)
    db.session.commit()


def _id(actor) -> int | None:
    return getattr(actor, "id", None)


def _details(line: CostLine) -> dict:
    return {"activity_id": line.activity_id, "category": line.category.value, "payer": line.payer.value,
            "currency": line.currency, "planned": str(line.planned_amount),
            "actual": None if line.actual_amount is None else str(line.actual_amount)}


def lines_statement(activity_id: int):
    """An activity's lines in the categories' order (travel, stay, per-diem...), then by payer."""
    position = case({member: index for index, member in enumerate(CostCategory)}, value=CostLine.category)
    return (select(CostLine).where(CostLine.activity_id == activity_id)
            .order_by(position, CostLine.payer, CostLine.id))


@dataclass(frozen=True)
class Total:
    """Planned and actual amounts of some lines in one currency; `without_actual`: lines not yet invoiced."""

    key: str  # a category or payer value, or "" for all lines
    currency: str
    planned: Decimal
    actual: Decimal
    without_actual: int


def sums():
    """The aggregate columns every cost total uses: planned, actual (known ones), lines without actual."""
    return (func.sum(CostLine.planned_amount).label("planned"),
            func.coalesce(func.sum(CostLine.actual_amount), 0).label("actual"),
            func.sum(case((CostLine.actual_amount.is_(None), 1), else_=0)).label("without_actual"))


def activity_totals(activity_id: int, by) -> list[Total]:
    """Totals of an activity's lines per `by` (CostLine.category or CostLine.payer) and currency: one query."""
    rows = db.session.execute(
        select(by, CostLine.currency, *sums()).where(CostLine.activity_id == activity_id)
        .group_by(by, CostLine.currency))
    return [Total(row[0].value, row.currency, Decimal(row.planned), Decimal(row.actual), int(row.without_actual))
            # In the enum's order (travel before stay...), not the alphabet's.
            for row in sorted(rows, key=lambda row: (row.currency, list(type(row[0])).index(row[0])))]


def currency_totals(activity_id: int) -> list[Total]:
    rows = db.session.execute(select(CostLine.currency, *sums()).where(CostLine.activity_id == activity_id)
                              .group_by(CostLine.currency).order_by(CostLine.currency))
    return [Total("", row.currency, Decimal(row.planned), Decimal(row.actual), int(row.without_actual))
            for row in rows]


def planned_per_diem(activity_id: int) -> list[tuple[str, Decimal, int]]:
    """Per-diem planned in the participants' travel and stay details: (currency, amount × days summed, people),
    for registrations confirmed or awaiting approval, in one statement; for information beside the lines."""
    rows = db.session.execute(
        select(Logistics.per_diem_currency,
               func.sum(Logistics.per_diem_amount * Logistics.per_diem_days).label("total"),
               func.count(Logistics.id).label("people"))
        .join(Registration, Registration.id == Logistics.registration_id)
        .where(Registration.activity_id == activity_id, Registration.state.in_(EXPECTED),
               Logistics.per_diem_amount.is_not(None), Logistics.per_diem_days.is_not(None),
               Logistics.per_diem_currency != "")
        .group_by(Logistics.per_diem_currency).order_by(Logistics.per_diem_currency))
    return [(row.per_diem_currency, Decimal(row.total).quantize(Decimal("0.01")), int(row.people)) for row in rows]
