"""A mentoring pair, its agreement's objectives, its meetings, its private log and its end-of-pairing reviews."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Programme
from elearn.topics import Topic


class PairStatus(LabelledEnum):
    """PROPOSED by a trainer or REQUESTED by a focal point, ACTIVE once both sides accepted, then ENDED;
    DECLINED when either side said no, WITHDRAWN when whoever proposed it took it back."""
    PROPOSED = "proposed", _l("Proposed")
    REQUESTED = "requested", _l("Requested")
    ACTIVE = "active", _l("Active")
    ENDED = "ended", _l("Ended")
    DECLINED = "declined", _l("Declined")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


class MeetingFrequency(LabelledEnum):
    WEEKLY = "weekly", _l("Every week")
    FORTNIGHTLY = "fortnightly", _l("Every two weeks")
    MONTHLY = "monthly", _l("Every month")
    AS_NEEDED = "as_needed", _l("As needed")


class MentoringPair(db.Model):
    """A mentor (of an assisting parliament) and a mentee (of a partner parliament) under one agreement.

    `trainer` is the cooperation unit's person responsible for the pair: with the pair itself, the only one
    who reads its log. A focal point may request a pair for their parliament's mentee, but never reads it.
    """
    __tablename__ = "mentoring_pair"
    __table_args__ = (CheckConstraint("mentor_id != mentee_id", name="ck_mentoring_pair_two_people"),
                      CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
                                      name="ck_mentoring_pair_period"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # None while a focal point's request waits for the cooperation unit to find a mentor.
    mentor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    trainer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"), index=True)
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))  # who proposed or requested
    programme_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programme.id"), index=True)
    topic_id: Mapped[Optional[int]] = mapped_column(ForeignKey("topic.id"))
    status: Mapped[PairStatus] = mapped_column(string_enum(PairStatus, "pair_status"), default=PairStatus.PROPOSED,
                                               index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")  # plain text: why this pair, what the mentee wants
    starts_on: Mapped[Optional[date]]
    ends_on: Mapped[Optional[date]]
    frequency: Mapped[MeetingFrequency] = mapped_column(string_enum(MeetingFrequency, "meeting_frequency"),
                                                        default=MeetingFrequency.MONTHLY)
    language: Mapped[str] = mapped_column(String(8), default="en")  # the pair's working language
    mentor_accepted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    mentee_accepted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    mentor: Mapped[Optional[Person]] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])
    trainer: Mapped[Optional[Person]] = relationship(foreign_keys=[trainer_id])
    requested_by: Mapped[Optional[Person]] = relationship(foreign_keys=[requested_by_id])
    programme: Mapped[Optional[Programme]] = relationship()
    topic: Mapped[Optional[Topic]] = relationship()
    objectives: Mapped[list[MentoringObjective]] = relationship(
        back_populates="pair", cascade="all, delete-orphan", order_by="MentoringObjective.position")
    meetings: Mapped[list[MentoringMeeting]] = relationship(
        back_populates="pair", cascade="all, delete-orphan", order_by="MentoringMeeting.starts_at")

    def is_member(self, person: Person | None) -> bool:
        return person is not None and person.id in (self.mentor_id, self.mentee_id)


class ObjectiveStatus(LabelledEnum):
    NOT_STARTED = "not_started", _l("Not started")
    PROGRESSING = "progressing", _l("Progressing")
    ACHIEVED = "achieved", _l("Achieved")


class MentoringObjective(db.Model):
    __tablename__ = "mentoring_objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pair.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(500))
    status: Mapped[ObjectiveStatus] = mapped_column(string_enum(ObjectiveStatus, "objective_status"),
                                                    default=ObjectiveStatus.NOT_STARTED)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    pair: Mapped[MentoringPair] = relationship(back_populates="objectives")


class MeetingStatus(LabelledEnum):
    SCHEDULED = "scheduled", _l("Scheduled")
    HELD = "held", _l("Held")
    CANCELLED = "cancelled", _lp("meeting", "Cancelled")


class MentoringMeeting(db.Model):
    """One meeting of a pair: stored in UTC with the IANA zone of whoever scheduled it; each side sees it in
    their own zone. `sequence` rises with each change, for the iTIP updates and the feeds (RFC 5545)."""
    __tablename__ = "mentoring_meeting"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ck_mentoring_meeting_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pair.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    online_url: Mapped[str] = mapped_column(String(500), default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")  # plain text, shared with both sides
    status: Mapped[MeetingStatus] = mapped_column(string_enum(MeetingStatus, "meeting_status"),
                                                  default=MeetingStatus.SCHEDULED)
    sequence: Mapped[int] = mapped_column(default=0)
    scheduled_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    pair: Mapped[MentoringPair] = relationship(back_populates="meetings")
    scheduled_by: Mapped[Optional[Person]] = relationship()


class MentoringNote(db.Model):
    """The pair's private log: read by the mentor, the mentee and the pair's trainer, nobody else."""
    __tablename__ = "mentoring_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pair.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[Optional[int]] = mapped_column(ForeignKey("mentoring_meeting.id", ondelete="SET NULL"))
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pair: Mapped[MentoringPair] = relationship()
    meeting: Mapped[Optional[MentoringMeeting]] = relationship()
    author: Mapped[Optional[Person]] = relationship()


class ReviewSide(LabelledEnum):
    MENTOR = "mentor", _l("Mentor")
    MENTEE = "mentee", _l("Mentee")


class MentoringReview(db.Model):
    """Each side's review at the end of the pairing: one per side."""
    __tablename__ = "mentoring_review"
    __table_args__ = (UniqueConstraint("pair_id", "side", name="uq_mentoring_review_side"),
                      CheckConstraint("rating BETWEEN 1 AND 5", name="ck_mentoring_review_rating"))

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pair.id", ondelete="CASCADE"), index=True)
    side: Mapped[ReviewSide] = mapped_column(string_enum(ReviewSide, "review_side"))
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    rating: Mapped[int]  # 1 (not useful) to 5 (very useful)
    what_worked: Mapped[str] = mapped_column(Text, default="")
    what_to_change: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pair: Mapped[MentoringPair] = relationship()
    author: Mapped[Optional[Person]] = relationship()
