"""A remote assistance question, the messages of its thread and the files attached to either.

`due_at` is set when the question is asked (its urgency's target in working days); the question is overdue
while nobody but the asker has answered (`answered_at` is empty) and `due_at` is past.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from elearn.topics import Topic


class Urgency(LabelledEnum):
    LOW = "low", _l("Low")
    NORMAL = "normal", _l("Normal")
    URGENT = "urgent", _l("Urgent")


class QuestionStatus(LabelledEnum):
    """OPEN until the cooperation unit assigns an expert; ASSIGNED while an answer is awaited (again after a
    follow-up); ANSWERED once the expert or the unit replied; CLOSED when the asker or the unit closes it."""
    OPEN = "open", _l("Open")
    ASSIGNED = "assigned", _l("Assigned")
    ANSWERED = "answered", _l("Answered")
    CLOSED = "closed", _l("Closed")


class Side(LabelledEnum):
    """Who wrote a message, as it was when they wrote it."""
    ASKER = "asker", _l("Asker")
    EXPERT = "expert", _l("Expert")
    STAFF = "staff", _l("Cooperation unit")


class AssistanceQuestion(db.Model):
    __tablename__ = "assistance_question"
    __table_args__ = (
        # The staff queue: open questions by due time.
        Index("ix_assistance_question_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # plain text
    topic_id: Mapped[Optional[int]] = mapped_column(ForeignKey("topic.id"), index=True)
    urgency: Mapped[Urgency] = mapped_column(string_enum(Urgency, "assistance_urgency"), default=Urgency.NORMAL)
    status: Mapped[QuestionStatus] = mapped_column(string_enum(QuestionStatus, "assistance_status"),
                                                   default=QuestionStatus.OPEN)
    asker_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # The asker's parliament when they asked: its focal points follow the question.
    parliament_id: Mapped[int] = mapped_column(ForeignKey("parliament.id"), index=True)
    expert_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"), index=True)
    assigned_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assigned_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    answered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # the first answer
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    resource_id: Mapped[Optional[int]] = mapped_column(ForeignKey("library_resource.id", ondelete="SET NULL"))
    published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    topic: Mapped[Optional[Topic]] = relationship()
    asker: Mapped[Person] = relationship(foreign_keys=[asker_id])
    parliament: Mapped[Parliament] = relationship()
    expert: Mapped[Optional[Person]] = relationship(foreign_keys=[expert_id])
    assigned_by: Mapped[Optional[Person]] = relationship(foreign_keys=[assigned_by_id])
    messages: Mapped[list[AssistanceMessage]] = relationship(
        back_populates="question", cascade="all, delete-orphan",
        order_by="AssistanceMessage.id")
    attachments: Mapped[list[AssistanceAttachment]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="AssistanceAttachment.id")


class AssistanceMessage(db.Model):
    """One reply in a question's thread (the question's own text is the question's body)."""
    __tablename__ = "assistance_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("assistance_question.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"), index=True)
    side: Mapped[Side] = mapped_column(string_enum(Side, "assistance_side"))
    body: Mapped[str] = mapped_column(Text)  # plain text
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[AssistanceQuestion] = relationship(back_populates="messages")
    author: Mapped[Optional[Person]] = relationship()
    attachments: Mapped[list[AssistanceAttachment]] = relationship(back_populates="message",
                                                                   order_by="AssistanceAttachment.id")


class AssistanceAttachment(db.Model):
    """A file sent with the question or with a reply; its bytes are in elearn.documents.storage under a random key."""
    __tablename__ = "assistance_attachment"
    __table_args__ = (CheckConstraint("size > 0", name="ck_assistance_attachment_size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("assistance_question.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assistance_message.id", ondelete="CASCADE"),
                                                      index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[AssistanceQuestion] = relationship(back_populates="attachments")
    message: Mapped[Optional[AssistanceMessage]] = relationship(back_populates="attachments")
