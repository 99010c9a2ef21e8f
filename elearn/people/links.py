"""One-time links (password reset, invitation): issued, checked, and retired together.

A link lets whoever holds it choose the person's password, so every outstanding link of a
person stops working as soon as the password is set by any means, the account is
deactivated or its email address changes (the mail may sit in a mailbox that is no longer
theirs). Only a SHA-256 of each secret is stored.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import OneTimeToken, Person, TokenPurpose


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def retire_links(person: Person, now: datetime | None = None, purpose: TokenPurpose | None = None) -> None:
    """Make every unused link of this person (of one purpose, or all) stop working, in the caller's transaction."""
    if person.id is None:
        return  # a person not yet saved has no links
    conditions = [OneTimeToken.person_id == person.id, OneTimeToken.used_at.is_(None)]
    if purpose is not None:
        conditions.append(OneTimeToken.purpose == purpose)
    db.session.execute(update(OneTimeToken).where(*conditions).values(used_at=now or utcnow())
                       .execution_options(synchronize_session="fetch"))


def issue_token(person: Person, purpose: TokenPurpose, now: datetime | None = None) -> str:
    """Create a one-time link secret; earlier unused ones of the same purpose stop working."""
    now = now or utcnow()
    lifetime: timedelta = current_app.config[
        "RESET_TOKEN_LIFETIME" if purpose == TokenPurpose.PASSWORD_RESET else "INVITATION_TOKEN_LIFETIME"]
    retire_links(person, now, purpose)
    secret = secrets.token_urlsafe(32)
    db.session.add(OneTimeToken(person=person, purpose=purpose, token_hash=hash_secret(secret),
                                created_at=now, expires_at=now + lifetime))
    return secret


def valid_token(secret: str, purpose: TokenPurpose, now: datetime | None = None) -> OneTimeToken | None:
    now = now or utcnow()
    token = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == hash_secret(secret)))
    if token is None or token.purpose != purpose or token.used_at is not None or token.expires_at <= now:
        return None
    if not token.person.is_active:
        return None
    return token
