"""Calls for applications: an activity's call, its questions, the applications and the selection targets."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Programme, Registration


class StandardQuestion(LabelledEnum):
    """The questions a call may ask without writing them; the value is the answer's key."""

    MOTIVATION = "motivation", _l("Motivation")
    CURRENT_POSITION = "current_position", _l("Current position")
    LANGUAGES = "languages", _l("Languages")
    PRIOR_TRAINING = "prior_training", _l("Prior training")


class ApplicationStatus(LabelledEnum):
    SUBMITTED = "submitted", _l("submitted")
    SELECTED = "selected", _l("selected")
    WAITLISTED = "waitlisted", _l("waitlisted")
    DECLINED = "declined", _l("declined")
    WITHDRAWN = "withdrawn", _l("withdrawn")


# The decisions a trainer takes; withdrawing is the candidate's.
DECISIONS = (ApplicationStatus.SELECTED, ApplicationStatus.WAITLISTED, ApplicationStatus.DECLINED)


class Call(db.Model):
    __tablename__ = "call"
    __table_args__ = (CheckConstraint("deadline > opens_at", name="deadline_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), unique=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Indexed: the listing of open calls reads the calls whose deadline is still ahead.
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    intro: Mapped[str] = mapped_column(Text, default="")
    # StandardQuestion values, in the order asked.
    standard_questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    questions: Mapped[list["CallQuestion"]] = relationship(
        back_populates="call", order_by="CallQuestion.position", cascade="all, delete-orphan")

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.deadline

    @property
    def asked(self) -> list[StandardQuestion]:
        return [StandardQuestion(value) for value in self.standard_questions if value in StandardQuestion._value2member_map_]


class CallQuestion(db.Model):
    """A question a trainer wrote for one call; its answer's key is "q<id>"."""

    __tablename__ = "call_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(300))

    call: Mapped[Call] = relationship(back_populates="questions")

    @property
    def key(self) -> str:
        return f"q{self.id}"


class Application(db.Model):
    __tablename__ = "application"
    __table_args__ = (UniqueConstraint("call_id", "person_id", name="uq_application_once"),
                      Index("ix_application_call_status", "call_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # The focal point who proposed the candidate (None: the candidate applied).
    proposed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    # Answer texts by key: a StandardQuestion value or a CallQuestion's "q<id>".
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[ApplicationStatus] = mapped_column(
        string_enum(ApplicationStatus, "application_status"), default=ApplicationStatus.SUBMITTED)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # The registration a selection created or confirmed.
    registration_id: Mapped[Optional[int]] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    call: Mapped[Call] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    proposed_by: Mapped[Optional[Person]] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[Optional[Person]] = relationship(foreign_keys=[decided_by_id])
    registration: Mapped[Optional[Registration]] = relationship()


class SelectionTarget(db.Model):
    """What a selection aims at, for one activity or for every activity of a programme (the activity's wins).

    The share of opposition is not here: see `Activity.opposition_target_percent` (nominations read it too).
    """

    __tablename__ = "selection_target"
    __table_args__ = (
        CheckConstraint("(activity_id IS NULL) <> (programme_id IS NULL)", name="one_scope"),
        CheckConstraint("women_min_percent IS NULL OR (women_min_percent >= 0 AND women_min_percent <= 100)",
                        name="women_in_range"),
        CheckConstraint("max_per_parliament IS NULL OR max_per_parliament >= 1", name="max_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), unique=True)
    programme_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), unique=True)
    women_min_percent: Mapped[Optional[int]]
    max_per_parliament: Mapped[Optional[int]]
    both_sides_required: Mapped[bool] = mapped_column(default=False)
    # The opposition target is the activity's or programme's own column (scheduling.balance), set in one place.

    activity: Mapped[Optional[Activity]] = relationship()
    programme: Mapped[Optional[Programme]] = relationship()
