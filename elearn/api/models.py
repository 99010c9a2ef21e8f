"""Personal access tokens: made by a person for a system of theirs, shown once, kept only as a hash."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, utcnow
from elearn.extensions import db
from elearn.people.models import Person


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # The person's parliament when the token was made: a focal point who moves parliament must not read the
    # new one's people with a token made for the old one (the parliament scopes then lapse).
    parliament_id: Mapped[Optional[int]] = mapped_column(ForeignKey("parliament.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the secret, shown in the list so that a person can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    # SHA-256 of the whole secret: the secret has 256 random bits, so a fast hash is enough (no guessing by words).
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Space-separated scope names, as OAuth writes them (api.scopes.parse_scopes).
    scopes: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
