"""What a mission found and recommended, and what each recommendation led to."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.cooperation.models import Commitment, NeedsRequest
from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Programme


class ReportStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted for validation")
    VALIDATED = "validated", _l("Validated")


class Priority(LabelledEnum):
    HIGH = "high", _l("High priority")
    MEDIUM = "medium", _l("Medium priority")
    LOW = "low", _l("Low priority")


class MissionReport(db.Model):
    """Written by the head of mission after it; a trainer of the mission (or an administrator) validates it."""
    __tablename__ = "mission_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    findings_md: Mapped[str] = mapped_column(Text, default="")
    findings_html: Mapped[str] = mapped_column(Text, default="")  # sanitised, as course content is
    status: Mapped[ReportStatus] = mapped_column(string_enum(ReportStatus, "mission_report_status"),
                                                 default=ReportStatus.DRAFT)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    validated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    validated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    author: Mapped[Optional[Person]] = relationship(foreign_keys=[author_id])
    validated_by: Mapped[Optional[Person]] = relationship(foreign_keys=[validated_by_id])
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Recommendation.position")


class Recommendation(db.Model):
    """One recommendation; once the report is validated, one click turns it into a needs request, a
    commitment of an action plan or a proposed programme, and the link is kept here (the other side finds it
    through these columns, which are indexed)."""
    __tablename__ = "recommendation"
    __table_args__ = (
        UniqueConstraint("report_id", "position", name="uq_recommendation_position"),
        CheckConstraint("(CASE WHEN needs_request_id IS NULL THEN 0 ELSE 1 END)"
                        " + (CASE WHEN commitment_id IS NULL THEN 0 ELSE 1 END)"
                        " + (CASE WHEN programme_id IS NULL THEN 0 ELSE 1 END) <= 1",
                        name="ck_recommendation_one_outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("mission_report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    priority: Mapped[Priority] = mapped_column(string_enum(Priority, "recommendation_priority"))
    needs_request_id: Mapped[Optional[int]] = mapped_column(ForeignKey("needs_request.id", ondelete="SET NULL"),
                                                            index=True)
    commitment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("commitment.id", ondelete="SET NULL"), index=True)
    programme_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programme.id", ondelete="SET NULL"), index=True)
    converted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    converted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))

    report: Mapped[MissionReport] = relationship(back_populates="recommendations")
    needs_request: Mapped[Optional[NeedsRequest]] = relationship()
    commitment: Mapped[Optional[Commitment]] = relationship()
    programme: Mapped[Optional[Programme]] = relationship()
    converted_by: Mapped[Optional[Person]] = relationship()
