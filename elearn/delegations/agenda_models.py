"""The visit agenda: a directory of institutions, and agenda items held within an activity's sessions."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.references import name_references
from elearn.scheduling.models import ActivitySession, Registration


class InstitutionKind(LabelledEnum):
    UPPER_HOUSE = "upper_house", _l("Upper house")
    CONSTITUTIONAL_COURT = "constitutional_court", _l("Constitutional court")
    COUNCIL_OF_STATE = "council_of_state", _l("Council of state")
    GENERAL_SECRETARIAT = "general_secretariat", _l("Government's general secretariat")
    MINISTRY = "ministry", _l("Ministry")
    COURT = "court", _l("Court")
    PARLIAMENT = "parliament", _l("Parliament")
    OTHER = "other", _l("Other institution")


class Institution(db.Model):
    __tablename__ = "institution"
    __table_args__ = (UniqueConstraint("name", "city", name="uq_institution_name_city"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[InstitutionKind] = mapped_column(string_enum(InstitutionKind, "institution_kind"))
    address: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166-1 alpha-2
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def place(self) -> str:
        """The address a calendar shows: name, street, city."""
        return ", ".join(part for part in (self.name, self.address, self.city) if part)


agenda_item_participant = Table(
    "agenda_item_participant", db.metadata,
    Column("agenda_item_id", ForeignKey("agenda_item.id", ondelete="CASCADE"), primary_key=True),
    Column("registration_id", ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class AgendaItem(db.Model):
    """A meeting within one session of an activity: a VEVENT of its own in the participants' feeds and mail."""

    __tablename__ = "agenda_item"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),
                      Index("ix_agenda_item_session_start", "session_id", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("activity_session.id", ondelete="CASCADE"))
    # UTC instants, within the session's span; shown in the activity's timezone.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(200))
    # No cascade: a used institution cannot be deleted (references.delete_unreferenced says by what).
    institution_id: Mapped[Optional[int]] = mapped_column(ForeignKey("institution.id"), index=True)
    host: Mapped[str] = mapped_column(String(200), default="")  # who receives the delegation
    room: Mapped[str] = mapped_column(String(200), default="")
    briefing_md: Mapped[str] = mapped_column(Text, default="")
    briefing_html: Mapped[str] = mapped_column(Text, default="")
    # True: every confirmed participant; False: only the registrations in `participants`.
    for_everyone: Mapped[bool] = mapped_column(default=True)
    # Calendar clients take a changed event only if SEQUENCE grows (time, place or who is concerned).
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    session: Mapped[ActivitySession] = relationship()
    institution: Mapped[Optional[Institution]] = relationship()
    participants: Mapped[list[Registration]] = relationship(secondary=agenda_item_participant)

    @property
    def activity(self):
        return self.session.activity

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.session.activity.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.session.activity.zone)

    @property
    def location(self) -> str:
        """Where it takes place, for pages and calendars: the institution's address, then the room."""
        parts = [self.institution.place] if self.institution else []
        if self.room:
            parts.append(self.room)
        return ", ".join(parts)


def item_uid(item_id: int, host: str) -> str:
    """Stable and distinct from the sessions' `session-<id>@host`."""
    return f"agenda-item-{item_id}@{host}"


name_references("agenda_item", "institution_id", lambda n: ngettext(
    "%(num)d agenda item", "%(num)d agenda items", n))
