"""Secret personal feed addresses, and rendered feeds shared by every worker."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from elearn.database import UTCDateTime, utcnow
from elearn.extensions import db
from elearn.people.models import Person


class FeedToken(db.Model):
    """A secret calendar subscription URL; only a SHA-256 of the secret is stored."""

    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Waitlisted and requested registrations appear as STATUS:TENTATIVE.
    include_tentative: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class FeedCache(db.Model):
    """The last rendering of one feed, in the database so that every worker shares it.

    `validator` says what the data looked like when the rendering was last checked
    (the feed versions it depends on, its time window, its options); while it
    matches, a request is answered from this row with one small query. `fingerprint`
    hashes the feed's rows (ids and change times) so that an unrelated change costs a
    cheap check instead of a render. `last_modified` only moves forward. `used_at`
    (refreshed at most hourly) and `size` let the cache drop the least recently used
    rows beyond its caps.
    """

    __tablename__ = "feed_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    validator: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fingerprint: Mapped[str] = mapped_column(String(64))
    etag: Mapped[str] = mapped_column(String(64))
    last_modified: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    size: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))


class FeedVersion(db.Model):
    """A counter bumped in the same transaction as any change a group of feeds may show.

    Scope `public`: activities, their sessions, topics, invited parliaments, trainers,
    programmes and topics (every feed depends on it); `person:<id>`: that person's
    registrations (their personal feed). See `feeds/versions.py`.
    """

    __tablename__ = "feed_version"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
