"""NeedsRequest, ActionPlan, Commitment and Review."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_babel import ngettext
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from elearn.references import name_references
from elearn.scheduling.models import Activity, Audience, Modality, Programme
from elearn.topics import Topic


class SupportKind(LabelledEnum):
    TRAINING = "training", _l("Training")
    ADVICE = "advice", _l("Advice or technical assistance")
    EXCHANGE = "exchange", _l("Exchange of experience")
    TEXT_EXPERTISE = "text_expertise", _l("Expertise on a text")
    EQUIPMENT = "equipment", _l("Equipment")


# Assistance is technical and intellectual: the unit cannot pay for equipment.
OUTSIDE_FUNDING = frozenset({SupportKind.EQUIPMENT})


class RequestStatus(LabelledEnum):
    RECEIVED = "received", _l("Received")
    UNDER_ASSESSMENT = "under_assessment", _l("Under assessment")
    ACCEPTED = "accepted", _l("Accepted")
    DECLINED = "declined", _l("Declined")
    CLOSED = "closed", _lp("request", "Closed")


class CommitmentOwner(LabelledEnum):
    PARTNER = "partner", _l("Partner parliament")
    ASSISTING = "assisting", _l("Assisting side")


class CommitmentStatus(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", _lp("commitment", "Done")
    DROPPED = "dropped", _l("Dropped")


OPEN_COMMITMENT_STATES = (CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS)

needs_request_topic = Table(
    "needs_request_topic", db.metadata,
    Column("request_id", ForeignKey("needs_request.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id"), primary_key=True, index=True),
)
needs_request_activity = Table(
    "needs_request_activity", db.metadata,
    Column("request_id", ForeignKey("needs_request.id", ondelete="CASCADE"), primary_key=True),
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class NeedsRequest(db.Model):
    """A partner parliament asks for help, in its own words; trainers triage it."""

    __tablename__ = "needs_request"
    __table_args__ = (
        CheckConstraint("preferred_to IS NULL OR preferred_from IS NULL OR preferred_to >= preferred_from",
                        name="period_in_order"),
        CheckConstraint("status != 'accepted' OR programme_id IS NOT NULL", name="accepted_has_programme"),
        CheckConstraint("status != 'declined' OR answer != ''", name="declined_has_reason"),
        Index("ix_needs_request_parliament_status", "parliament_id", "status"),
        Index("ix_needs_request_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parliament_id: Mapped[int] = mapped_column(ForeignKey("parliament.id"))
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[SupportKind] = mapped_column(string_enum(SupportKind, "support_kind"))
    status: Mapped[RequestStatus] = mapped_column(string_enum(RequestStatus, "request_status"),
                                                  default=RequestStatus.RECEIVED)
    title: Mapped[str] = mapped_column(String(200))
    need: Mapped[str] = mapped_column(Text)
    audience: Mapped[Audience] = mapped_column(string_enum(Audience, "audience"), default=Audience.BOTH)
    services: Mapped[str] = mapped_column(String(300), default="")
    preferred_modality: Mapped[Optional[Modality]] = mapped_column(string_enum(Modality, "modality"))
    preferred_from: Mapped[Optional[date]]
    preferred_to: Mapped[Optional[date]]
    language: Mapped[str] = mapped_column(String(8), default="en")
    # The unit's latest word to the parliament; the reason when declined.
    answer: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programme.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))

    parliament: Mapped[Parliament] = relationship()
    submitted_by: Mapped[Optional[Person]] = relationship(foreign_keys=[submitted_by_id])
    status_changed_by: Mapped[Optional[Person]] = relationship(foreign_keys=[status_changed_by_id])
    programme: Mapped[Optional[Programme]] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=needs_request_topic, order_by=Topic.slug)
    activities: Mapped[list[Activity]] = relationship(secondary=needs_request_activity,
                                                      order_by=Activity.starts_at)

    @property
    def outside_funding(self) -> bool:
        return self.kind in OUTSIDE_FUNDING


class ActionPlan(db.Model):
    """What a partner parliament and the assisting side agreed to do after an activity."""

    __tablename__ = "action_plan"
    __table_args__ = (UniqueConstraint("activity_id", "parliament_id", name="uq_action_plan_activity_parliament"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"))
    parliament_id: Mapped[int] = mapped_column(ForeignKey("parliament.id"), index=True)
    agreed_on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    parliament: Mapped[Parliament] = relationship()
    commitments: Mapped[list["Commitment"]] = relationship(
        back_populates="plan", order_by=lambda: (Commitment.due_on, Commitment.id), cascade="all, delete-orphan")
    reviews: Mapped[list["Review"]] = relationship(
        back_populates="plan", order_by=lambda: (Review.due_on, Review.id), cascade="all, delete-orphan")


class Commitment(db.Model):
    __tablename__ = "commitment"
    __table_args__ = (Index("ix_commitment_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[CommitmentOwner] = mapped_column(string_enum(CommitmentOwner, "commitment_owner"))
    # Who on that side carries it, e.g. "Clerk of the National Assembly".
    responsible: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date]
    status: Mapped[CommitmentStatus] = mapped_column(string_enum(CommitmentStatus, "commitment_status"),
                                                     default=CommitmentStatus.PLANNED)
    progress_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))

    plan: Mapped[ActionPlan] = relationship(back_populates="commitments")
    updated_by: Mapped[Optional[Person]] = relationship()

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_COMMITMENT_STATES and self.due_on < today


class Review(db.Model):
    """A scheduled follow-up of an action plan (e.g. after 3, 6 and 12 months) and its progress notes."""

    __tablename__ = "review"
    __table_args__ = (Index("ix_review_open_due", "held_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date]
    held_on: Mapped[Optional[date]]
    notes: Mapped[str] = mapped_column(Text, default="")
    written_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[ActionPlan] = relationship(back_populates="reviews")
    written_by: Mapped[Optional[Person]] = relationship()


# How the rows here read when they keep a parliament from being deleted.
name_references("needs_request", "parliament_id", lambda n: ngettext(
    "%(num)d needs request", "%(num)d needs requests", n))
name_references("action_plan", "parliament_id", lambda n: ngettext("%(num)d action plan", "%(num)d action plans", n))
