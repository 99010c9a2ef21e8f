"""Personal feed addresses: issue, look up, change options, rotate and revoke. No HTTP here."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.orm import contains_eager

from elearn.database import utcnow
from elearn.extensions import db
from elearn.feeds.cache import cache_key
from elearn.feeds.models import FeedCache, FeedToken
from elearn.people.models import Person
from elearn.people.services import password_changed


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def personal_feed_identity(token_id: int) -> str:
    """The cache identity of a personal feed: tied to the token row, never to the secret."""
    return f"personal:{token_id}"


def active_token(person: Person) -> FeedToken | None:
    return db.session.scalar(select(FeedToken).where(FeedToken.person_id == person.id,
                                                     FeedToken.revoked_at.is_(None))
                             .order_by(FeedToken.id.desc()).limit(1))


def find_person_token(secret: str) -> FeedToken | None:
    """The active token behind a feed URL, with its person loaded, if the person may still use it."""
    if not secret or len(secret) > 100:
        return None
    return db.session.scalar(
        select(FeedToken).join(FeedToken.person).options(contains_eager(FeedToken.person))
        .where(FeedToken.token_hash == hash_token(secret), FeedToken.revoked_at.is_(None),
               Person.is_active.is_(True)))


def _revoke_all(person: Person) -> None:
    now = utcnow()
    revoked = db.session.scalars(select(FeedToken.id).where(FeedToken.person_id == person.id,
                                                            FeedToken.revoked_at.is_(None))).all()
    if revoked:
        db.session.execute(update(FeedToken).where(FeedToken.id.in_(revoked)).values(revoked_at=now))
        # A rendered personal feed holds personal data: it goes with its address.
        keys = [cache_key(personal_feed_identity(token_id)) for token_id in revoked]
        db.session.execute(delete(FeedCache).where(FeedCache.key.in_(keys)))


@password_changed.connect
def _revoke_on_password_change(person: Person, **_) -> None:
    # Whoever learnt the old password may have copied the calendar address too.
    _revoke_all(person)


def issue_token(person: Person, include_tentative: bool | None = None) -> str:
    """A new secret address for `person`; any older one stops working at once.

    Returns the secret: it is shown once and only its hash is kept. The options
    carry over from the previous address unless given.
    """
    previous = active_token(person)
    if include_tentative is None:
        include_tentative = previous.include_tentative if previous else False
    _revoke_all(person)
    secret = secrets.token_urlsafe(32)  # 256 random bits
    db.session.add(FeedToken(person_id=person.id, token_hash=hash_token(secret), include_tentative=include_tentative))
    db.session.commit()
    return secret


def revoke_tokens(person: Person) -> None:
    _revoke_all(person)
    db.session.commit()


def set_options(person: Person, include_tentative: bool) -> bool:
    """Change what the active address shows; False if there is none."""
    token = active_token(person)
    if token is None:
        return False
    token.include_tentative = include_tentative
    db.session.commit()
    return True
