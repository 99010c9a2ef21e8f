"""How Flask-Login finds the person behind a session or remember-me cookie."""
from __future__ import annotations

import secrets

from flask import current_app, flash, request, session
from flask_babel import lazy_gettext as _l
from flask_login import confirm_login, current_user, login_fresh, login_user, logout_user

from elearn.database import utcnow
from elearn.extensions import db, login_manager
from elearn.people import devices
from elearn.people.models import Person
from elearn.security import is_sessionless_request


def load_person(user_id: str) -> Person | None:
    # The id carries the person's session key: rotating the key (logout,
    # password change, deactivation, role change) disowns every older cookie.
    raw_id, _, key = user_id.partition(":")
    if not raw_id.isdigit() or not key:
        return None
    person = db.session.get(Person, int(raw_id))
    if person is None or not person.is_active or not secrets.compare_digest(person.session_key, key):
        return None
    return person


def start_session(person: Person, remember: bool = False, trust_device: bool = False) -> None:
    """Sign in on a new session: nothing set before sign-in carries over.

    Remember-me is a device row (people/devices.py), bounded and revocable, not Flask-Login's cookie.
    """
    session.clear()
    login_user(person, remember=False)
    now = utcnow().timestamp()
    session["signed_in_at"] = session["seen_at"] = session["password_entered_at"] = now
    session["remembered"] = remember
    devices.remember(person, keep_signed_in=remember, trust=trust_device)


def note_password_entered() -> None:
    """The person has just typed their password again: sensitive changes are allowed for a while."""
    confirm_login()
    session["password_entered_at"] = utcnow().timestamp()


def is_fresh() -> bool:
    """Whether the password was typed in this session recently enough for a sensitive change.

    A session restored from a remember-me cookie has no such moment until the password is confirmed.
    """
    entered = session.get("password_entered_at")
    window = current_app.config["FRESH_LOGIN_WINDOW"].total_seconds()
    # Flask-Login marks the session stale when the address or browser changes (session protection).
    return login_fresh() and entered is not None and utcnow().timestamp() - entered <= window


def enforce_session_limits():
    """End a session idle too long or open too long; remember-me sessions skip the idle limit."""
    if is_sessionless_request():
        return  # a calendar feed neither reads nor refreshes the session (nor loads the person)
    if not current_user.is_authenticated:
        return
    now = utcnow().timestamp()
    if "signed_in_at" not in session:
        # Restored from a remember-me cookie: a new session starts now.
        session["signed_in_at"] = session["seen_at"] = now
        session["remembered"] = True
        return
    config = current_app.config
    idle = now - session.get("seen_at", 0) > config["SESSION_IDLE_TIMEOUT"].total_seconds()
    too_old = now - session["signed_in_at"] > config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    if too_old or (idle and not session.get("remembered")):
        session.clear()
        logout_user()
        flash(_l("Your session has expired. Please sign in again."), "info")
        return
    if now - session.get("seen_at", 0) > 60:  # refresh at most once a minute, not on every request
        session["seen_at"] = now


def retire_flask_login_cookie() -> None:
    """Refuse, and delete, a Flask-Login remember-me cookie made before devices replaced it (it never expired)."""
    if current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies and not is_sessionless_request():
        session["_remember"] = "clear"


def configure(app) -> None:
    app.config.setdefault("REMEMBER_COOKIE_NAME", "remember_token")
    app.before_request(retire_flask_login_cookie)
    app.before_request(enforce_session_limits)
    login_manager.user_loader(load_person)
    login_manager.request_loader(devices.restore_session)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
