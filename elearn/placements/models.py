"""A shadowing placement, its daily programme and the two placement reports (the tutor's, the placed person's)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import Activity, Programme
from elearn.topics import Topic


class PlacementStatus(LabelledEnum):
    PLANNED = "planned", _lp("placement", "Planned")
    UNDER_WAY = "under_way", _lp("placement", "Under way")
    COMPLETED = "completed", _lp("placement", "Completed")
    CANCELLED = "cancelled", _lp("placement", "Cancelled")


class Placement(db.Model):
    """A person of a partner parliament placed in a service of a host parliament for a period.

    The period is in local dates of `timezone` (the host's); the tutor is a person of the host parliament.
    `activity` is the visit the placement is part of, if any: its delegations agenda can be copied into
    the daily programme.
    """
    __tablename__ = "placement"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period"),
                      CheckConstraint("person_id != tutor_id", name="two_people"),
                      Index("ix_placement_status_starts", "status", "starts_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    tutor_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    host_parliament_id: Mapped[int] = mapped_column(ForeignKey("parliament.id"), index=True)
    service: Mapped[str] = mapped_column(String(200))  # e.g. "Table Office", "Official Report"
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[PlacementStatus] = mapped_column(string_enum(PlacementStatus, "placement_status"),
                                                    default=PlacementStatus.PLANNED)
    objectives: Mapped[str] = mapped_column(Text, default="")  # plain text
    activity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("activity.id", ondelete="SET NULL"), index=True)
    programme_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programme.id"), index=True)
    topic_id: Mapped[Optional[int]] = mapped_column(ForeignKey("topic.id"))
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    tutor: Mapped[Person] = relationship(foreign_keys=[tutor_id])
    created_by: Mapped[Optional[Person]] = relationship(foreign_keys=[created_by_id])
    host_parliament: Mapped[Parliament] = relationship()
    activity: Mapped[Optional[Activity]] = relationship()
    programme: Mapped[Optional[Programme]] = relationship()
    topic: Mapped[Optional[Topic]] = relationship()
    entries: Mapped[list[PlacementEntry]] = relationship(
        back_populates="placement", cascade="all, delete-orphan",
        order_by="PlacementEntry.day")
    reports: Mapped[list[PlacementReport]] = relationship(back_populates="placement", cascade="all, delete-orphan")


class DayPart(LabelledEnum):
    """A whole day, or its morning or afternoon (a day has either the first or one or both of the others)."""
    DAY = "day", _l("Whole day")
    MORNING = "morning", _l("Morning")
    AFTERNOON = "afternoon", _l("Afternoon")

    @property
    def rank(self) -> int:
        return list(DayPart).index(self)


class PlacementEntry(db.Model):
    """One day or half-day of the daily programme: what, where, with whom."""
    __tablename__ = "placement_entry"
    __table_args__ = (UniqueConstraint("placement_id", "day", "part", name="uq_placement_entry_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    part: Mapped[DayPart] = mapped_column(string_enum(DayPart, "day_part"), default=DayPart.DAY)
    what: Mapped[str] = mapped_column(String(300))
    place: Mapped[str] = mapped_column(String(200), default="")
    with_whom: Mapped[str] = mapped_column(String(200), default="")
    # The visit agenda item it was copied from: copying again does not repeat it.
    agenda_item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))

    placement: Mapped[Placement] = relationship(back_populates="entries")


class ReportSide(LabelledEnum):
    TUTOR = "tutor", _l("Host tutor")
    PLACED = "placed", _l("Placed person")


class PlacementReport(db.Model):
    """A placement report by one side: a draft only its author reads, until submitted."""
    __tablename__ = "placement_report"
    __table_args__ = (UniqueConstraint("placement_id", "side", name="uq_placement_report_side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id", ondelete="CASCADE"), index=True)
    side: Mapped[ReportSide] = mapped_column(string_enum(ReportSide, "placement_report_side"))
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"), index=True)
    what_was_done: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")  # what to take home, recommendations
    submitted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    placement: Mapped[Placement] = relationship(back_populates="reports")
    author: Mapped[Optional[Person]] = relationship()

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None
