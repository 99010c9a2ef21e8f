"""Signed-in devices: remember-me and "no code on this device", bounded, rotated and revocable.

A browser that asks to stay signed in, or not to be asked for a one-time code, gets one
cookie holding a random secret. The server keeps its SHA-256 with the time each use ends,
so a copied cookie stops working when it expires, when the person revokes the device on
"Your devices", and as soon as the owner's browser uses it again (each restored session
replaces the secret).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from flask import current_app, g, request, session
from flask_login import login_user
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Person
from elearn.people.sign_in_models import SignInDevice
from elearn.security import is_sessionless_request

# elearn/logs.py redacts its value wherever a log line quotes it.
COOKIE_NAME = "device_token"


class DeviceError(Exception):
    """A device that is not the person's own, or no longer exists."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def label_from_user_agent(user_agent: str) -> str:
    """A short name for the device ("Firefox on Windows"), from what the browser says of itself."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or re.sub(r"[^\w ./()-]", "", user_agent)[:60] or "Unknown browser"


def _cookie_device() -> SignInDevice | None:
    secret = request.cookies.get(COOKIE_NAME, "")
    if not secret or len(secret) > 100:
        return None
    return db.session.scalar(select(SignInDevice).where(SignInDevice.secret_hash == _hash(secret)))


def this_device(person: Person) -> SignInDevice | None:
    """The device row behind this browser's cookie, if it is this person's."""
    device = _cookie_device()
    return device if device is not None and device.person_id == person.id else None


def _new_secret(device: SignInDevice, now: datetime) -> None:
    secret = secrets.token_urlsafe(32)
    device.secret_hash = _hash(secret)
    device.last_used_at = now
    ends = max(filter(None, (device.signed_in_until, device.trusted_until)), default=now)
    g.device_cookie = (secret, max(int((ends - now).total_seconds()), 0))


def remember(person: Person, *, keep_signed_in: bool = False, trust: bool = False) -> SignInDevice | None:
    """After a full sign-in: note this browser as the person's device for what they asked.

    Nothing asked and no device yet: nothing is stored. Signing in again without "keep me
    signed in" ends that use on this device; a trust already granted stays until it ends.
    """
    now = utcnow()
    device = this_device(person)
    if device is not None and device.revoked_at is not None:
        device = None
    if device is None and not (keep_signed_in or trust):
        return None
    if device is None:
        device = SignInDevice(person=person, created_at=now,
                              label=label_from_user_agent(request.headers.get("User-Agent", "")))
        db.session.add(device)
    if keep_signed_in:
        device.signed_in_until = now + current_app.config["REMEMBER_COOKIE_DURATION"]
        device.session_key = person.session_key
    else:
        device.signed_in_until = device.session_key = None
    if trust:
        device.trusted_until = now + current_app.config["TWO_FACTOR_TRUST_DURATION"]
    _new_secret(device, now)
    db.session.flush()
    if keep_signed_in:
        session["device_id"] = device.id  # revoking the device ends this session too
    db.session.commit()
    return device


def is_trusted(person: Person) -> bool:
    """Whether this browser may skip the one-time code for this person."""
    device = this_device(person)
    return device is not None and device.is_trusted(utcnow()) and device.person.is_active


def restore_session(_request) -> Person | None:
    """Flask-Login's request loader: a browser without a session comes back on its device cookie.

    The cookie must match a device that still keeps this person signed in (not expired, not
    revoked, session key unchanged); its secret is then replaced, so an older copy is refused.
    The new session is never fresh: sensitive changes ask for the password again.
    """
    if is_sessionless_request():
        return None  # a feed must not rotate a cookie it cannot send back
    device = _cookie_device()
    now = utcnow()
    if device is None or not device.keeps_signed_in(now):
        return None
    _new_secret(device, now)
    db.session.commit()
    session.clear()
    login_user(device.person, remember=False, fresh=False)
    session["signed_in_at"] = session["seen_at"] = now.timestamp()
    session["remembered"] = True
    session["device_id"] = device.id
    return device.person


def end_revoked_session() -> bool:
    """End this request's session if it was restored by (or remembered on) a device since revoked."""
    device_id = session.get("device_id")
    if not device_id:
        return False
    device = db.session.get(SignInDevice, device_id)
    if device is not None and device.revoked_at is None:
        return False
    session.clear()
    return True


def write_cookie(response):
    cookie = g.pop("device_cookie", None)
    if cookie is None or is_sessionless_request():
        return response
    secret, max_age = cookie
    config = current_app.config
    response.set_cookie(COOKIE_NAME, secret, max_age=max_age, path="/", httponly=True,
                        secure=config["SESSION_COOKIE_SECURE"], samesite="Lax")
    return response


def devices_of(person: Person, now: datetime | None = None) -> list[SignInDevice]:
    """The person's devices still remembered for something, most recently used first."""
    now = now or utcnow()
    rows = db.session.scalars(select(SignInDevice).where(
        SignInDevice.person_id == person.id, SignInDevice.revoked_at.is_(None)).order_by(
        SignInDevice.last_used_at.desc(), SignInDevice.id.desc()))
    return [device for device in rows if device.is_live(now)]


def revoke(person: Person, device_id: int) -> SignInDevice:
    device = db.session.get(SignInDevice, device_id)
    if device is None or device.person_id != person.id or device.revoked_at is not None:
        raise DeviceError(device_id)
    device.revoked_at = utcnow()
    db.session.commit()
    return device


def revoke_all(person: Person, now: datetime | None = None) -> int:
    """Forget every device of this person (in the caller's transaction); how many were live."""
    now = now or utcnow()
    live = 0
    for device in db.session.scalars(select(SignInDevice).where(
            SignInDevice.person_id == person.id, SignInDevice.revoked_at.is_(None))):
        live += device.is_live(now)
        device.revoked_at = now
    return live

