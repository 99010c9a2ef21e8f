"""What an activity costs: `CostLine`s, each planned and (once known) actual, by category, payer and currency."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.delegations.logistics_models import Payer
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.scheduling.models import Activity


class CostCategory(LabelledEnum):
    TRAVEL = "travel", _l("Travel")
    STAY = "stay", _l("Stay")
    PER_DIEM = "per_diem", _l("Per-diem")
    INTERPRETATION = "interpretation", _l("Interpretation")
    VENUE = "venue", _l("Venue")
    OTHER = "other", _l("Other costs")


class CostLine(db.Model):
    """One planned cost of an activity; `actual_amount` stays empty until the invoice is known.

    Amounts are in `currency` (ISO 4217) and never converted: totals are kept per currency.
    """

    __tablename__ = "cost_line"
    __table_args__ = (
        CheckConstraint("planned_amount >= 0", name="planned_not_negative"),
        CheckConstraint("actual_amount IS NULL OR actual_amount >= 0", name="actual_not_negative"),
        # The report groups an activity's lines by these, in this order.
        Index("ix_cost_line_activity_category", "activity_id", "category", "payer", "currency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    category: Mapped[CostCategory] = mapped_column(string_enum(CostCategory, "cost_category"))
    payer: Mapped[Payer] = mapped_column(string_enum(Payer, "payer"))
    description: Mapped[str] = mapped_column(Text, default="")
    planned_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    actual_amount: Mapped[Optional[Decimal]] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))

    activity: Mapped[Activity] = relationship()
