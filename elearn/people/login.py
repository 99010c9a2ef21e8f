"""How Flask-Login finds the person behind a session or remember-me cookie."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l

from elearn.extensions import db, login_manager
from elearn.people.models import Person


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


def configure(app) -> None:
    login_manager.user_loader(load_person)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
