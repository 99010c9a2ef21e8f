"""People, the parliaments they belong to, and one-time links sent to them."""
from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import UserMixin
from sqlalchemy import DDL, JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.access import Role
from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.localised_names import LocalisedNames
from elearn.references import name_references


class PersonKind(LabelledEnum):
    MP = "mp", _l("Member of parliament")
    STAFF = "staff", _l("Parliamentary staff")
    OFFICER = "officer", _l("Cooperation officer")
    EXPERT = "expert", _l("External expert")


class Gender(LabelledEnum):
    WOMAN = "woman", _l("Woman")
    MAN = "man", _l("Man")
    ANOTHER = "another", _l("Another gender")
    PREFER_NOT_TO_SAY = "prefer_not_to_say", _l("Prefer not to say")


class PoliticalSide(LabelledEnum):
    RULING = "ruling", _l("Ruling majority")
    OPPOSITION = "opposition", _l("Opposition")
    INDEPENDENT = "independent", _l("Independent")
    NOT_STATED = "not_stated", _l("Not stated")


class TokenPurpose(enum.StrEnum):
    PASSWORD_RESET = "password_reset"
    INVITATION = "invitation"


class Parliament(LocalisedNames, db.Model):
    __tablename__ = "parliament"
    __table_args__ = (UniqueConstraint("country_code", "chamber_name", name="uq_parliament_chamber"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[Optional[str]] = mapped_column(String(200))
    name_pt: Mapped[Optional[str]] = mapped_column(String(200))
    name_ar: Mapped[Optional[str]] = mapped_column(String(200))
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    chamber_name: Mapped[str] = mapped_column(String(200))
    gives_assistance: Mapped[bool] = mapped_column(default=False)
    receives_assistance: Mapped[bool] = mapped_column(default=False)
    working_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list["Person"]] = relationship(back_populates="parliament")

    def __repr__(self) -> str:
        return f"<Parliament {self.country_code} {self.name_en}>"


class Person(UserMixin, db.Model):
    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("political_side IS NULL OR kind = 'mp'", name="side_only_for_mps"),
        Index("ix_person_role_active", "role", "is_active"),
        # The people admin's order (name, then id): a page far down the list reads the index, not a sort.
        Index("ix_person_full_name_id", "full_name", "id"),
        # A part of a name or an email (ILIKE '%…%'): trigram indexes, on PostgreSQL only (pg_trgm).
        Index("ix_person_full_name_trgm", "full_name", postgresql_using="gin",
              postgresql_ops={"full_name": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
        Index("ix_person_email_trgm", "email", postgresql_using="gin",
              postgresql_ops={"email": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased (the CHECK enforces it), so the unique index is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[Optional[str]] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    parliament_id: Mapped[Optional[int]] = mapped_column(ForeignKey("parliament.id"), index=True)
    kind: Mapped[PersonKind] = mapped_column(string_enum(PersonKind, "person_kind"), default=PersonKind.STAFF)
    position: Mapped[str] = mapped_column(String(200), default="")
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    gender: Mapped[Optional[Gender]] = mapped_column(string_enum(Gender, "gender"))
    political_side: Mapped[Optional[PoliticalSide]] = mapped_column(string_enum(PoliticalSide, "political_side"))
    term_started_on: Mapped[Optional[date]]
    role: Mapped[Role] = mapped_column(string_enum(Role, "role"), default=Role.LEARNER)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Rotated at logout and password change: every older session and
    # remember-me cookie carries the previous value and stops working.
    session_key: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(24))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Set when an administrator erased the person (people.erasure): the row stays, anonymised,
    # so that what reports count about them keeps its parliament, kind, gender and side.
    erased_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    parliament: Mapped[Optional[Parliament]] = relationship(back_populates="members")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_key}"

    def rotate_session_key(self) -> None:
        self.session_key = secrets.token_urlsafe(24)

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def is_newly_elected(self, today: date, months: int = 12) -> bool:
        if self.kind != PersonKind.MP or self.term_started_on is None:
            return False
        elapsed = (today.year - self.term_started_on.year) * 12 + today.month - self.term_started_on.month
        if today.day < self.term_started_on.day:
            elapsed -= 1
        return 0 <= elapsed < months

    def __repr__(self) -> str:
        return f"<Person {self.email}>"


class OneTimeToken(db.Model):
    """A password-reset or invitation link; only a hash of its secret is stored."""

    __tablename__ = "one_time_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(string_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()


class PasswordResetRequest(db.Model):
    """An address typed in the forgot-password form, waiting for the mail sender (people/resets.py).

    Written for every address, known or not, so the form does the same work either way; the row is
    deleted when the sender handles it.
    """

    __tablename__ = "password_reset_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

# The trigram indexes above need the extension; `db.create_all()` (the tests) creates it as the migration does.
event.listen(db.metadata, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))

# How the rows here read when they keep a parliament from being deleted.
name_references("person", "parliament_id", lambda n: ngettext("%(num)d person", "%(num)d people", n))
