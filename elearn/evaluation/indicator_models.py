"""A programme's results framework: indicators with a baseline and a target, and values entered by hand."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.scheduling.models import Programme

if TYPE_CHECKING:
    from elearn.people.models import Person


class Measure(LabelledEnum):
    """What an indicator counts: a figure computed from the data (indicator_sources.py), or entered by hand."""

    PARTICIPANTS = "participants", _l("Participants")
    PARTICIPANT_DAYS = "participant_days", _l("Participant-days")
    WOMEN_SHARE = "women_share", _l("Women's share of participations (%)")
    OPPOSITION_SHARE = "opposition_share", _l("Opposition's share of members of parliament (%)")
    SATISFACTION = "satisfaction", _l("Average satisfaction (0–100)")
    LEARNING_GAIN = "learning_gain", _l("Average learning gain (points)")
    COMMITMENTS_ON_TIME = "commitments_on_time", _l("Commitments completed on time (%)")
    DAYS_TO_DECISION = "days_to_decision", _l("Median days from request to decision")
    MANUAL = "manual", _l("Entered by hand")


class Direction(LabelledEnum):
    HIGHER = "higher", _l("Higher is better")
    LOWER = "lower", _l("Lower is better")


class Indicator(db.Model):
    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[Measure] = mapped_column(string_enum(Measure, "indicator_measure"))
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline_value: Mapped[Optional[float]]
    baseline_on: Mapped[Optional[date]]
    target_value: Mapped[float]
    direction: Mapped[Direction] = mapped_column(string_enum(Direction, "indicator_direction"),
                                                 default=Direction.HIGHER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship()
    values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="indicator", order_by="IndicatorValue.period_start", cascade="all, delete-orphan",
        passive_deletes=True)

    @property
    def computed(self) -> bool:
        return self.measure != Measure.MANUAL


class IndicatorValue(db.Model):
    """The actual for one period, entered by hand: a manual indicator's value, or an override of a computed one."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint("indicator_id", "period_start", "period_end", name="uq_indicator_value_period"),
        CheckConstraint("period_end >= period_start", name="period_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    value: Mapped[float]
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"), index=True)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="values")
    entered_by: Mapped[Optional["Person"]] = relationship("Person")

