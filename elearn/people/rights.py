"""Changes that give or take away a person's rights: role, parliament, activation.

Each is audited, needs the administrator's password typed recently when it can widen what
someone reaches (admin.py asks; `needs_recent_password` says when), and rotates the person's
session key, so an open session never gains (or keeps) rights it was not signed in with.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from elearn.access import Role
from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.extensions import db
from elearn.people import links
from elearn.people.models import Parliament, Person
from elearn.validation import normalise_email

if TYPE_CHECKING:
    from elearn.people.services import PersonData


def is_privileged(role: Role | None) -> bool:
    """Above a learner: a focal point's rights depend on their parliament, a trainer's and an administrator's
    reach every parliament."""
    return role is not None and role != Role.LEARNER


def needs_recent_password(person: Person | None, data: PersonData) -> bool:
    """Whether saving `data` gives or moves rights: a role above learner for a new person; a new role, a new
    email address (reset links go there), or a new parliament for anyone above learner."""
    if person is None:
        return is_privileged(data.role)
    moved = data.parliament_id != person.parliament_id and (is_privileged(person.role) or is_privileged(data.role))
    return data.role != person.role or normalise_email(data.email) != person.email or moved


def activation_needs_recent_password(person: Person, active: bool) -> bool:
    """Reactivating an account above learner gives its rights back, like creating it with that role."""
    return active and not person.is_active and is_privileged(person.role)


def after_update(person: Person, *, old_parliament_id: int | None, old_email: str, actor: Person | None) -> None:
    """Audit a change of parliament and sign the person out if it moves their rights; retire links sent to an
    address that is no longer theirs. In the caller's transaction."""
    if person.email != old_email:
        links.retire_links(person)
    if person.parliament_id == old_parliament_id:
        return
    audit(AuditAction.PARLIAMENT_CHANGED, actor=actor, object_type="person", object_id=person.id,
          details={"from": old_parliament_id, "to": person.parliament_id,
                   "from_name": _name(old_parliament_id), "to_name": _name(person.parliament_id)})
    if is_privileged(person.role):
        # A focal point's open session would otherwise see the new parliament at once.
        person.rotate_session_key()


def _name(parliament_id: int | None) -> str | None:
    parliament = db.session.get(Parliament, parliament_id) if parliament_id is not None else None
    return parliament.name_en if parliament else None


def set_active(person: Person, active: bool, actor: Person | None = None) -> None:
    """Deactivate (signed out, links retired) or reactivate (on a new session key) an account, audited."""
    if person.is_active == active:
        return
    person.is_active = active
    person.rotate_session_key()
    if not active:
        links.retire_links(person)
    audit(AuditAction.ACCOUNT_ACTIVATED if active else AuditAction.ACCOUNT_DEACTIVATED, actor=actor,
          object_type="person", object_id=person.id, details={"role": Role(person.role).value})
    db.session.commit()
