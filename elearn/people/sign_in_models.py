"""What strong sign-in keeps: a person's one-time-password secret, recovery codes and signed-in devices."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, utcnow
from elearn.extensions import db
from elearn.people.models import Person


class TwoFactorCredential(db.Model):
    """A person's authenticator app (RFC 6238); in use once confirmed with a first code."""

    __tablename__ = "two_factor_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    # The shared secret (base32). It must be readable to check codes, so it is not hashed.
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # The 30-second step of the last code accepted: that code, and older ones, are refused from then on.
    last_used_step: Mapped[int] = mapped_column(default=0)

    person: Mapped[Person] = relationship()


class RecoveryCode(db.Model):
    """A single-use code for when the authenticator app is lost; only a hash is stored."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class SignInDevice(db.Model):
    """A browser a person signed in on and asked to be remembered, to stay signed in or to skip the code.

    Its cookie holds a random secret, stored here as SHA-256 and replaced each time it restores a session.
    """

    __tablename__ = "sign_in_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Keeps the person signed in until then, as long as their session key is still this one
    # (signing out, a new password, deactivation and role changes rotate it).
    signed_in_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    session_key: Mapped[Optional[str]] = mapped_column(String(64))
    # No one-time code is asked on this device until then.
    trusted_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()

    def keeps_signed_in(self, now: datetime) -> bool:
        return (self.revoked_at is None and self.signed_in_until is not None and self.signed_in_until > now
                and self.session_key == self.person.session_key and self.person.is_active)

    def is_trusted(self, now: datetime) -> bool:
        return self.revoked_at is None and self.trusted_until is not None and self.trusted_until > now

    def is_live(self, now: datetime) -> bool:
        return self.keeps_signed_in(now) or self.is_trusted(now)
