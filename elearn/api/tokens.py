"""Make, find and revoke personal access tokens."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.api.models import ApiToken
from elearn.api.scopes import Scope, allowed_scopes, parse_scopes
from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.database import utcnow
from elearn.extensions import db

SECRET_PREFIX = "hmc_"
EXPIRY_CHOICES_DAYS = (7, 30, 90, 365)
# How stale last_used_at may get before a call writes it again: one write a minute, not one per call.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(ValueError):
    pass


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(person, name: str, scopes: list[Scope], expires_in_days: int, *, actor=None) -> NewToken:
    """A new token for `person` with `scopes`, which their role must allow; saved with an audit row."""
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name, e.g. the system that will use it."))
    if not scopes:
        raise TokenError(_("Choose at least one scope."))
    refused = [scope for scope in scopes if scope not in allowed_scopes(person)]
    if refused:
        raise TokenError(_("Your role does not allow these scopes: %(scopes)s.",
                           scopes=", ".join(scope.value for scope in refused)))
    if expires_in_days not in EXPIRY_CHOICES_DAYS:
        raise TokenError(_("Choose how long the token lasts."))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(person_id=person.id, parliament_id=person.parliament_id, name=name[:100], prefix=secret[:12], secret_hash=hash_secret(secret),
                     scopes=" ".join(scope.value for scope in Scope if scope in scopes),
                     expires_at=utcnow() + timedelta(days=expires_in_days))
    db.session.add(token)
    db.session.flush()
    record(AuditAction.API_TOKEN_CREATED, actor=actor or person, object_type="api_token", object_id=token.id,
           details={"name": token.name, "scopes": token.scopes, "person_id": person.id})
    db.session.commit()
    return NewToken(token, secret)


def revoke_token(token: ApiToken, *, actor) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(AuditAction.API_TOKEN_REVOKED, actor=actor, object_type="api_token", object_id=token.id,
               details={"name": token.name, "person_id": token.person_id})
    db.session.commit()


def tokens_of(person) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.person_id == person.id)
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(),
                                             ApiToken.id.desc())))


def find_usable(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The live token whose secret this is, its person active and not erased; else None."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    now = now or utcnow()
    token = db.session.scalar(select(ApiToken).where(ApiToken.secret_hash == hash_secret(secret)))
    if token is None or not token.is_usable(now):
        return None
    person = token.person
    if not person.is_active or person.erased_at is not None:
        return None
    return token


PARLIAMENT_SCOPES = frozenset({Scope.READ_PARLIAMENT, Scope.WRITE_PARLIAMENT})


def effective_scopes(token: ApiToken) -> frozenset[Scope]:
    """The token's scopes that the person's role still allows today; the parliament scopes only while the
    person is in the parliament they were in when the token was made (a move does not carry them over)."""
    scopes = frozenset(parse_scopes(token.scopes)) & frozenset(allowed_scopes(token.person))
    if token.parliament_id is None or token.parliament_id != token.person.parliament_id:
        scopes -= PARLIAMENT_SCOPES
    return scopes


def note_use(token: ApiToken, now: datetime | None = None) -> None:
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.commit()
