"""Strong sign-in: one-time codes from an authenticator app (RFC 6238) and single-use recovery codes.

No HTTP in here, except the request's address that audit rows carry.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from elearn.access import Role
from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people import devices
from elearn.people.models import Person
from elearn.people.services import password_changed, too_many_wrong_passwords
from elearn.people.sign_in_models import RecoveryCode, TwoFactorCredential

STEP_SECONDS = 30
RECOVERY_CODES = 10
# No 0/o, 1/l/i: a code copied from paper is read without doubt. 16 of 31 signs: 79 bits.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class TwoFactorError(Exception):
    """A code or a request that cannot be accepted; the message is for the user."""


def credential_of(person: Person) -> TwoFactorCredential | None:
    return db.session.scalar(select(TwoFactorCredential).where(TwoFactorCredential.person_id == person.id))


def is_enrolled(person: Person) -> bool:
    credential = credential_of(person)
    return credential is not None and credential.confirmed_at is not None


def is_required(person: Person) -> bool:
    """Whether the site requires strong sign-in for this person's role (TWO_FACTOR_REQUIRED_ROLES)."""
    return Role(person.role).value in current_app.config["TWO_FACTOR_REQUIRED_ROLES"]


def must_enrol(person: Person) -> bool:
    return is_required(person) and not is_enrolled(person)


def enrolment_secret(person: Person, nonce: str) -> str:
    """The secret offered while enrolling, made from a random nonce the session keeps.

    Nothing is stored until the person confirms it with a first code, so showing the page writes no row;
    the session cookie holds only the nonce, which gives the secret away to nobody without SECRET_KEY.
    """
    if is_enrolled(person):
        raise TwoFactorError(_("Two-step sign-in is already on."))
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"two-factor-enrolment:{person.id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(person: Person, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=person.email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])


def qr_code_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI: an <img> the Content-Security-Policy allows, no script."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (one before or after now, for clock drift) whose code this is."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _accept_totp(credential: TwoFactorCredential, code: str) -> bool:
    """Check an app code; a code, once accepted, is refused for the rest of its window (no replay)."""
    step = _matching_step(credential.secret, code, utcnow())
    if step is None or step <= credential.last_used_step:
        return False
    credential.last_used_step = step
    return True


def confirm_enrolment(person: Person, nonce: str | None, code: str) -> list[str]:
    """Turn two-step sign-in on with a first good code; returns the recovery codes, shown once."""
    if not nonce:
        raise TwoFactorError(_("Start again: open the two-step sign-in page."))
    secret = enrolment_secret(person, nonce)
    step = _matching_step(secret, code, utcnow())
    if step is None:
        raise TwoFactorError(_("This code is not right. Check that your phone's clock is set automatically, "
                               "and type the code the app shows now."))
    credential = credential_of(person) or TwoFactorCredential(person=person)
    credential.secret, credential.last_used_step = secret, step
    credential.created_at = credential.confirmed_at = utcnow()
    db.session.add(credential)
    codes = _replace_recovery_codes(person)
    audit(AuditAction.TWO_FACTOR_ENABLED, actor=person, object_type="person", object_id=person.id)
    db.session.commit()
    return codes


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(_normalise_recovery(code).encode()).hexdigest()


def _replace_recovery_codes(person: Person) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.person_id == person.id))
    now = utcnow()
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _i in range(16))
        db.session.add(RecoveryCode(person_id=person.id, code_hash=_hash_recovery(raw), created_at=now))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    return codes


def renew_recovery_codes(person: Person) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not is_enrolled(person):
        raise TwoFactorError(_("Two-step sign-in is off."))
    codes = _replace_recovery_codes(person)
    audit(AuditAction.RECOVERY_CODES_RENEWED, actor=person, object_type="person", object_id=person.id)
    db.session.commit()
    return codes


def recovery_codes_left(person: Person) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.person_id == person.id, RecoveryCode.used_at.is_(None)))


def _use_recovery_code(person: Person, code: str) -> bool:
    normalised = _normalise_recovery(code)
    if len(normalised) != 16:
        return False
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.code_hash == _hash_recovery(normalised), RecoveryCode.person_id == person.id,
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    db.session.flush()
    audit(AuditAction.RECOVERY_CODE_USED, actor=None, object_type="person", object_id=person.id,
          details={"left": recovery_codes_left(person)})
    return True


def check_sign_in_code(person: Person, code: str) -> bool:
    """The second step of a sign-in: an app code or an unused recovery code.

    Refused without checking once the account has had too many wrong passwords or codes lately;
    a wrong code counts as a failed sign-in, in the same per-account count as wrong passwords.
    """
    if too_many_wrong_passwords(person):
        raise TwoFactorError(_("Too many wrong passwords or codes: wait ten minutes and try again."))
    credential = credential_of(person)
    if credential is None or credential.confirmed_at is None:
        raise TwoFactorError(_("Two-step sign-in is off for this account."))
    if _accept_totp(credential, code) or _use_recovery_code(person, code):
        db.session.commit()
        return True
    audit(AuditAction.LOGIN_FAILED, actor=None, object_type="person", object_id=person.id,
          details={"email": person.email, "step": "code"})
    db.session.commit()
    return False


def _forget(person: Person) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.person_id == person.id))
    db.session.execute(delete(TwoFactorCredential).where(TwoFactorCredential.person_id == person.id))
    devices.revoke_all(person)


def disable(person: Person) -> None:
    """The person turns two-step sign-in off (refused when their role requires it)."""
    if is_required(person):
        raise TwoFactorError(_("Your role requires two-step sign-in: it cannot be turned off."))
    if not is_enrolled(person):
        raise TwoFactorError(_("Two-step sign-in is off."))
    _forget(person)
    audit(AuditAction.TWO_FACTOR_DISABLED, actor=person, object_type="person", object_id=person.id)
    db.session.commit()


def reset_by_admin(person: Person, actor: Person) -> None:
    """Another administrator removes a lost authenticator: the person enrols again at next sign-in.

    Every session and remembered device of theirs ends (the session key is rotated).
    """
    if person.id == actor.id:
        raise TwoFactorError(_("Another administrator must reset your own two-step sign-in."))
    if credential_of(person) is None:
        raise TwoFactorError(_("Two-step sign-in is not set up for this person."))
    _forget(person)
    person.rotate_session_key()
    audit(AuditAction.TWO_FACTOR_RESET, actor=actor, object_type="person", object_id=person.id)
    db.session.commit()


@password_changed.connect
def _forget_devices_on_new_password(person: Person, **_kwargs) -> None:
    # A new password often means the old one leaked: no device skips the code any more.
    devices.revoke_all(person)
