"""What each person chooses to receive, and the reminders and digests already queued."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.topics import Topic


class OptionalMail(LabelledEnum):
    """Mail a person may turn off; everything else (registrations, changes, passwords) always goes."""

    REMINDERS = "reminders", _l("reminders before your activities")
    DIGEST = "digest", _l("the weekly digest of new activities")


notification_preference_topic = Table(
    "notification_preference_topic", db.metadata,
    Column("person_id", ForeignKey("notification_preference.person_id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id"), primary_key=True, index=True),
)


class NotificationPreference(db.Model):
    """One row per person who changed the defaults; without a row, every optional mail goes."""

    __tablename__ = "notification_preference"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    reminders: Mapped[bool] = mapped_column(default=True)
    digest: Mapped[bool] = mapped_column(default=True)
    # Languages the person can follow an activity in; empty: their preferred language.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Topics of interest for the digest; none: every topic.
    topics: Mapped[list[Topic]] = relationship(secondary=notification_preference_topic, order_by=Topic.slug)

    def wants(self, mail: OptionalMail) -> bool:
        return {OptionalMail.REMINDERS: self.reminders, OptionalMail.DIGEST: self.digest}[OptionalMail(mail)]


class SentReminder(db.Model):
    """A reminder or digest that has been queued, so that it is queued only once.

    The row is inserted in the same transaction as the outbox message. Two
    runners racing for the same reminder both try to insert the same key: the
    unique constraint lets one commit and makes the other fail, and the loser
    rolls back its message with it.
    """

    __tablename__ = "sent_reminder"
    __table_args__ = (UniqueConstraint("kind", "object_id", "person_id", "offset_days", name="uq_sent_reminder_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))        # "activity", "digest", ...
    object_id: Mapped[int]                                # the activity's id; for a digest, the ISO week (202614)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    offset_days: Mapped[int] = mapped_column(default=0)  # "offset" is an SQL keyword
    outbox_message_id: Mapped[Optional[int]] = mapped_column(ForeignKey("outbox_message.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
