"""A resource of the shared library: a file, a link or a text, with who may read it and where it came from.

The full-text index is not a model: a SQLite FTS5 table or a PostgreSQL tsvector, made by the migration and
kept by elearn/library/search.py, holds title, summary, body and keywords.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.mentoring.models import MentoringPair
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import Activity, Programme
from elearn.topics import Topic


class ResourceKind(LabelledEnum):
    DOCUMENT = "document", _l("Document")
    MODEL_TEXT = "model_text", _l("Model text")
    GUIDE = "guide", _l("Guide")
    ANSWER = "answer", _l("Published answer")
    SEMINAR_MATERIAL = "seminar_material", _l("Seminar material")


class ResourceAccess(LabelledEnum):
    """Who may find and open a resource: anyone; anyone signed in; the people of one parliament (and the
    cooperation unit); the two people of one mentoring pair (and its trainer)."""
    PUBLIC = "public", _l("Public")
    NETWORK = "network", _l("The network (signed-in people)")
    PARLIAMENT = "parliament", _l("One parliament")
    PAIR = "pair", _l("One mentoring pair")


class LibraryResource(db.Model):
    __tablename__ = "library_resource"
    __table_args__ = (
        CheckConstraint("access != 'parliament' OR parliament_id IS NOT NULL", name="ck_library_parliament"),
        CheckConstraint("access != 'pair' OR pair_id IS NOT NULL", name="ck_library_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")  # plain text
    body: Mapped[str] = mapped_column(Text, default="")  # plain text: a published answer, a model text's words
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[ResourceKind] = mapped_column(string_enum(ResourceKind, "resource_kind"), index=True)
    language: Mapped[str] = mapped_column(String(8), index=True)  # a code of elearn.languages.WORKING_LANGUAGES
    topic_id: Mapped[Optional[int]] = mapped_column(ForeignKey("topic.id"), index=True)
    activity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("activity.id", ondelete="SET NULL"), index=True)
    programme_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programme.id", ondelete="SET NULL"),
                                                        index=True)
    access: Mapped[ResourceAccess] = mapped_column(string_enum(ResourceAccess, "resource_access"),
                                                   default=ResourceAccess.NETWORK, index=True)
    parliament_id: Mapped[Optional[int]] = mapped_column(ForeignKey("parliament.id"), index=True)
    pair_id: Mapped[Optional[int]] = mapped_column(ForeignKey("mentoring_pair.id", ondelete="CASCADE"),
                                                   index=True)
    external_url: Mapped[str] = mapped_column(String(500), default="")
    # A file, if any, kept by elearn.documents.storage under a random key, never under its original name.
    original_name: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    storage_key: Mapped[Optional[str]] = mapped_column(String(80), unique=True)
    downloads: Mapped[int] = mapped_column(default=0)
    added_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    topic: Mapped[Optional[Topic]] = relationship()
    activity: Mapped[Optional[Activity]] = relationship()
    programme: Mapped[Optional[Programme]] = relationship()
    parliament: Mapped[Optional[Parliament]] = relationship()
    pair: Mapped[Optional[MentoringPair]] = relationship()
    added_by: Mapped[Optional[Person]] = relationship()
