"""A document's record; its bytes are in the storage under `storage_key`, never under its original name."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, utcnow
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Programme


class Document(db.Model):
    __tablename__ = "document"
    __table_args__ = (CheckConstraint("(activity_id IS NULL) != (programme_id IS NULL)", name="ck_document_one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[Optional[int]] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(255))  # shown and offered on download, never a path
    content_type: Mapped[str] = mapped_column(String(100))  # as sniffed from the bytes, not as the browser said
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)  # random, e.g. "ab/cd/<32 hex>"
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Optional[Activity]] = relationship()
    programme: Mapped[Optional[Programme]] = relationship()
    uploaded_by: Mapped[Optional[Person]] = relationship()
