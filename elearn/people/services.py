"""Accounts: passwords, sign-in, one-time links, profiles. No HTTP in here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.audit.services import count_recent
from elearn.audit.services import record as audit
from elearn.database import utcnow
from elearn.extensions import db
from elearn.i18n import valid_timezones
from elearn.people import links, notices, resets, rights
from elearn.people.affiliations import set_current_side
from elearn.people.links import issue_token, valid_token
from elearn.people.models import (
    Gender,
    Parliament,
    Person,
    PersonKind,
    PoliticalSide,
    TokenPurpose,
)
from elearn.people.password_policy import password_problem
from elearn.validation import has_control_character, normalise_email, normalised_email

# Sent inside the password change's transaction, so listeners' changes are saved with it (or not at all).
# Feeds listen: a new password also retires the person's calendar addresses.
password_changed = Namespace().signal("password-changed")


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the user."""


class WeakPassword(AccountError):
    """A new password the policy refuses (password_policy.py); the message says why."""


# Hash of a password nobody has: checked when the account is unknown so a
# failed sign-in costs the same time either way.
_DUMMY_HASH: dict[str, str] = {}


def set_password(person: Person, password: str) -> None:
    """Every way a password is set comes here: the policy is checked with the person's own address and name,
    and every outstanding reset or invitation link of the person stops working."""
    problem = password_problem(password, email=person.email or "", name=person.full_name or "")
    if problem:
        raise WeakPassword(problem)
    person.password_hash = generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"])
    person.rotate_session_key()
    links.retire_links(person)
    if person.id is not None:
        password_changed.send(person)


def find_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == normalise_email(email)))


def authenticate(email: str, password: str) -> Person | None:
    """The active person with these credentials, or None (never saying which part was wrong)."""
    person = find_by_email(email)
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if person is None or not person.password_hash:
        # Made once per process: making it on every call would double the work and give the
        # unknown account away by its timing.
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = generate_password_hash("no such account", method=method)
        check_password_hash(_DUMMY_HASH[method], password)
        return None
    if not password_matches(person, password) or not person.is_active:
        return None
    return person


def password_matches(person: Person, password: str) -> bool:
    return bool(person.password_hash) and check_password_hash(person.password_hash, password)


def too_many_wrong_passwords(person: Person) -> bool:
    """Whether this account's password was refused too often lately to check it again now."""
    wrong = count_recent((AuditAction.LOGIN_FAILED,), AuditEvent.object_type == "person",
                         AuditEvent.object_id == person.id)
    return wrong >= current_app.config["WRONG_PASSWORDS_PER_ACCOUNT"]


def check_own_password(person: Person, password: str) -> bool:
    """A signed-in person confirms their password: refused once too many were wrong, and audited."""
    if too_many_wrong_passwords(person):
        raise AccountError(_("Too many wrong passwords: wait ten minutes and try again."))
    if password_matches(person, password):
        return True
    _audit_wrong_password(person, {"email": person.email}, actor=person)
    return False


def record_failed_login(email: str, actor: Person | None = None) -> None:
    """Audit a refused sign-in: the account if there is one, the address typed only if it is one.

    Anything else typed in the email box may be a password typed in the wrong box, so it is not kept.
    """
    email = normalise_email(email)
    person = find_by_email(email)
    details = {"email": email[:254]} if person is not None or _looks_like_email(email) else {}
    _audit_wrong_password(person, details, actor=actor)


def _audit_wrong_password(person: Person | None, details: dict, actor: Person | None) -> None:
    audit(AuditAction.LOGIN_FAILED, actor=actor, object_type="person",
          object_id=person.id if person else None, details=details)
    db.session.commit()


def _looks_like_email(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(at and local and "." in domain and " " not in text)


def record_login(person: Person) -> None:
    person.last_login_at = utcnow()
    db.session.commit()


def sign_out_everywhere(person: Person) -> None:
    person.rotate_session_key()
    db.session.commit()


def change_password(person: Person, current: str, new: str) -> None:
    if not check_own_password(person, current):
        raise AccountError(_("Your current password is not correct."))
    set_password(person, new)
    db.session.commit()


def request_password_reset(email: str) -> None:
    """Mail a reset link now if the address belongs to an active account that has not had too many lately.

    The forgot-password form does not call this: it queues the address (resets.ask_for_reset)."""
    person = find_by_email(email)
    if person is not None and resets.mail_reset_link(person):
        db.session.commit()


def send_invitation(person: Person, invited_by: Person | None = None, *, commit: bool = True) -> None:
    notices.mail_invitation(person, issue_token(person, TokenPurpose.INVITATION), invited_by)
    if commit:
        db.session.commit()


def use_token_to_set_password(secret: str, purpose: TokenPurpose, password: str) -> Person:
    token = valid_token(secret, purpose)
    if token is None:
        raise AccountError(_("This link has expired or has already been used."))
    set_password(token.person, password)  # retires this link with the others
    db.session.commit()
    return token.person


@dataclass(frozen=True)
class ProfileData:
    """What a person may change about themselves."""

    full_name: str
    position: str
    preferred_language: str
    timezone: str
    gender: Gender | None
    political_side: PoliticalSide | None = None
    term_started_on: date | None = None


def update_profile(person: Person, data: ProfileData) -> None:
    if data.timezone not in valid_timezones():
        raise AccountError(_("Unknown timezone: %(tz)s", tz=data.timezone))
    if data.preferred_language not in current_app.config["LANGUAGES"]:
        raise AccountError(_("Unsupported language."))
    if has_control_character(data.full_name.strip()) or has_control_character(data.position.strip()):
        raise AccountError(_("A name or position cannot hold a line break, a tab or another control character."))
    person.full_name = data.full_name.strip()
    person.position = data.position.strip()
    person.preferred_language = data.preferred_language
    person.timezone = data.timezone
    person.gender = data.gender
    if person.kind == PersonKind.MP:
        set_current_side(person, data.political_side, actor=person)
        person.term_started_on = data.term_started_on
    db.session.commit()


def set_preferred_language(person: Person, language: str) -> None:
    """Remember the language chosen in the switcher, so mail and the next sign-in use it too."""
    if language not in current_app.config["LANGUAGES"]:
        raise AccountError(_("Unsupported language."))
    person.preferred_language = language
    db.session.commit()


@dataclass(frozen=True)
class PersonData:
    """What an administrator sets when creating or editing an account."""

    email: str
    full_name: str
    kind: PersonKind
    role: Role
    parliament_id: int | None = None
    position: str = ""
    preferred_language: str = "en"
    timezone: str = "UTC"
    gender: Gender | None = None
    political_side: PoliticalSide | None = None
    term_started_on: date | None = None


# The length of the columns (and of the forms' fields).
NAME_MAX_LENGTH = 200


def check_person_data(data: PersonData, existing: Person | None = None, *,
                      taken_emails: set[str] | None = None) -> list[tuple[str, str]]:
    """Every problem with `data` as (field, message); empty when it can be saved.

    `taken_emails`, every address in use, saves a query per person when checking many new people.
    """
    problems: list[tuple[str, str]] = []
    try:
        email = normalised_email(data.email)
    except ValueError as error:
        problems.append(("email", str(error)))
    else:
        if _email_taken(email, existing, taken_emails):
            problems.append(("email", _("already used by another account")))
    problems += _name_problems(data)
    if data.timezone not in valid_timezones():
        problems.append(("timezone", _("unknown timezone %(tz)s", tz=data.timezone)))
    if data.preferred_language not in current_app.config["LANGUAGES"]:
        problems.append(("preferred_language", _("unsupported language %(lang)s", lang=data.preferred_language)))
    if data.parliament_id is not None and db.session.get(Parliament, data.parliament_id) is None:
        problems.append(("parliament", _("unknown parliament")))
    if data.political_side is not None and data.kind != PersonKind.MP:
        problems.append(("political_side", _("only members of parliament have a political side")))
    if data.role == Role.FOCAL_POINT and data.parliament_id is None:
        problems.append(("parliament", _("a focal point needs a parliament")))
    return problems


def _name_problems(data: PersonData) -> list[tuple[str, str]]:
    problems = []
    if not data.full_name.strip():
        problems.append(("full_name", _("a name is required")))
    for field_name in ("full_name", "position"):
        value = getattr(data, field_name).strip()
        if len(value) > NAME_MAX_LENGTH:
            problems.append((field_name, _("too long (at most %(n)d characters)", n=NAME_MAX_LENGTH)))
        elif has_control_character(value):
            problems.append((field_name, _("contains a control character, such as a line break or a tab")))
    return problems


def _email_taken(email: str, existing: Person | None, taken_emails: set[str] | None) -> bool:
    if taken_emails is not None and existing is None:
        return email in taken_emails
    other = find_by_email(email)
    return other is not None and (existing is None or other.id != existing.id)


def apply_person_data(person: Person, data: PersonData, actor: Person | None = None) -> None:
    person.email = normalise_email(data.email)
    person.full_name = data.full_name.strip()
    person.kind = data.kind
    person.role = data.role
    person.parliament_id = data.parliament_id
    person.position = data.position.strip()
    person.preferred_language = data.preferred_language
    person.timezone = data.timezone
    person.gender = data.gender
    set_current_side(person, data.political_side if data.kind == PersonKind.MP else None, actor=actor)
    person.term_started_on = data.term_started_on if data.kind == PersonKind.MP else None


def create_person(data: PersonData, *, password: str | None = None, invite: bool = False,
                  invited_by: Person | None = None, actor: Person | None = None) -> Person:
    problems = check_person_data(data)
    if problems:
        raise AccountError("; ".join(f"{field}: {message}" for field, message in problems))
    person = Person()
    apply_person_data(person, data, actor)
    if password:
        set_password(person, password)
    db.session.add(person)
    db.session.flush()
    audit_new_role(person, actor)
    if invite:
        send_invitation(person, invited_by)  # commits with the person
    else:
        db.session.commit()
    return person


def update_person(person: Person, data: PersonData, actor: Person | None = None) -> None:
    problems = check_person_data(data, existing=person)
    if problems:
        raise AccountError("; ".join(f"{field}: {message}" for field, message in problems))
    old_role, old_parliament_id, old_email = person.role, person.parliament_id, person.email
    apply_person_data(person, data, actor)
    if old_role != data.role:
        # New rights (or fewer) take effect at the next sign-in.
        person.rotate_session_key()
        _audit_role_change(person, old_role, actor)
    rights.after_update(person, old_parliament_id=old_parliament_id, old_email=old_email, actor=actor)
    db.session.commit()


def audit_new_role(person: Person, actor: Person | None) -> None:
    """A new account with more than a learner's rights is a role change from nothing."""
    if person.role != Role.LEARNER:
        _audit_role_change(person, None, actor)


def _audit_role_change(person: Person, old_role: Role | None, actor: Person | None) -> None:
    audit(AuditAction.ROLE_CHANGED, actor=actor, object_type="person", object_id=person.id,
          details={"from": Role(old_role).value if old_role else None, "to": Role(person.role).value})


def set_active(person: Person, active: bool, actor: Person | None = None) -> None:
    rights.set_active(person, active, actor)
