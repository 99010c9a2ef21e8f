"""A mission's terms of reference, every version of them, and the partner's agreement."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, utcnow
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity

# The fields a version records, in the order a comparison shows them.
TERMS_FIELDS = ("objectives", "expected_outputs", "counterpart_institution", "counterpart_contacts", "starts_on",
                "ends_on", "body_md")


class TermsOfReference(db.Model):
    """The current terms; `version` counts the saved changes. The partner's focal point agrees to one version:
    a later change leaves `agreed_version` behind, and the page says the agreement is for an older text."""
    __tablename__ = "terms_of_reference"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), unique=True)
    objectives: Mapped[str] = mapped_column(Text, default="")
    expected_outputs: Mapped[str] = mapped_column(Text, default="")
    counterpart_institution: Mapped[str] = mapped_column(String(200), default="")
    counterpart_contacts: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[Optional[date]]
    ends_on: Mapped[Optional[date]]
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")  # sanitised, as course content is
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    agreed_version: Mapped[Optional[int]]
    agreed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    agreed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))

    activity: Mapped[Activity] = relationship()
    updated_by: Mapped[Optional[Person]] = relationship(foreign_keys=[updated_by_id])
    agreed_by: Mapped[Optional[Person]] = relationship(foreign_keys=[agreed_by_id])
    versions: Mapped[list[TermsVersion]] = relationship(back_populates="terms", cascade="all, delete-orphan",
                                                       order_by="TermsVersion.version.desc()")

    @property
    def agreed_is_current(self) -> bool:
        return self.agreed_version is not None and self.agreed_version == self.version


class TermsVersion(db.Model):
    """One saved version: who, when, which fields changed, and the whole text as saved (to compare)."""
    __tablename__ = "terms_version"
    __table_args__ = (UniqueConstraint("terms_id", "version", name="uq_terms_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("terms_of_reference.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    changed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)  # TERMS_FIELDS -> value (dates as ISO text)

    terms: Mapped[TermsOfReference] = relationship(back_populates="versions")
    changed_by: Mapped[Optional[Person]] = relationship()
