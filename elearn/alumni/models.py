"""A person's entry in the alumni directory: whether they are listed, and each part of their card they show."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, utcnow
from elearn.extensions import db
from elearn.people.models import Person
from elearn.topics import Topic

# The topics a person says they are interested in (shown only with show_topics).
alumni_topic = Table(
    "alumni_topic", db.metadata,
    Column("entry_id", ForeignKey("alumni_entry.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id"), primary_key=True, index=True),
)

# The parts of a card a person may show, besides their name (always shown once listed).
SHOWABLE = ("parliament", "position", "topics", "activities", "bio", "email")


class AlumniEntry(db.Model):
    """Off by default: a person appears in the directory only once they set `listed`, and only while they are
    an alumnus (present at a session of an activity that was not cancelled), active and not erased."""
    __tablename__ = "alumni_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    listed: Mapped[bool] = mapped_column(default=False, index=True)
    show_parliament: Mapped[bool] = mapped_column(default=False)
    show_position: Mapped[bool] = mapped_column(default=False)
    show_topics: Mapped[bool] = mapped_column(default=False)
    show_activities: Mapped[bool] = mapped_column(default=False)
    show_bio: Mapped[bool] = mapped_column(default=False)
    show_email: Mapped[bool] = mapped_column(default=False)
    bio: Mapped[str] = mapped_column(Text, default="")  # plain text, at most services.MAX_BIO characters
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=alumni_topic, order_by=Topic.slug)

    def shows(self, part: str) -> bool:
        return bool(self.listed and getattr(self, f"show_{part}"))
