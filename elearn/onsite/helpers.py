"""Who may check people in at an activity (the one rule every check-in route uses), and its helpers.

A check-in helper (often host parliament staff at the door) may open that one activity's check-in page and
post scans there, nothing else: not its roster, not another activity. The activity's own trainers and
administrators may check in too, and only they add or remove helpers.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from elearn.access import AUTHENTICATED
from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.delegations.managers import may_manage_activity_id
from elearn.errors import UserError
from elearn.extensions import db
from elearn.onsite.models import CheckInHelper
from elearn.people.models import Person
from elearn.people.services import find_by_email
from elearn.scheduling.models import Activity


class HelperError(UserError):
    pass


def teaches(person, activity_id: int) -> bool:
    """An administrator, or a trainer of this activity (delegations' rule, looked up once a request)."""
    if not getattr(person, "is_authenticated", False):
        return False
    known = g.setdefault("check_in_teaches", {}) if has_request_context() else {}
    key = (person.id, activity_id)
    if key not in known:
        known[key] = may_manage_activity_id(person, activity_id)
    return known[key]


def is_helper(person, activity_id: int) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(exists().where(
        CheckInHelper.activity_id == activity_id, CheckInHelper.person_id == person.id))))


def may_check_in(person, activity_id: int) -> bool:
    return teaches(person, activity_id) or is_helper(person, activity_id)


def _guard(rule, refuse_anonymous=None, refuse=None):
    """A decorator: the view receives the activity (404 if none) if `rule(person, activity_id)` holds.

    Marked as open to any signed-in person (a helper may hold any role); the activity decides the rest.
    `refuse_anonymous` and `refuse(status)` answer instead of the site's sign-in page and error pages
    (the scans endpoint answers JSON).
    """

    def decorator(view):
        @wraps(view)
        def guarded(activity_id: int, **kwargs):
            if not current_user.is_authenticated:
                return refuse_anonymous() if refuse_anonymous else current_app.login_manager.unauthorized()
            activity = db.session.get(Activity, activity_id)
            if activity is None:
                return refuse(404) if refuse else abort(404)
            if not rule(current_user, activity.id):
                if refuse:
                    return refuse(403)
                abort(403)
            return view(activity, **kwargs)

        guarded.access_rule = AUTHENTICATED
        return guarded

    return decorator


def checks_in(view=None, *, refuse_anonymous=None, refuse=None):
    """For the check-in routes: this activity's trainers, administrators and its own helpers."""
    decorator = _guard(may_check_in, refuse_anonymous, refuse)
    return decorator(view) if view is not None else decorator


def manages_helpers(view):
    """For the helpers page: this activity's trainers and administrators (a helper cannot add another)."""
    return _guard(teaches)(view)


def helpers_of(activity: Activity) -> list[CheckInHelper]:
    return list(db.session.scalars(select(CheckInHelper).where(CheckInHelper.activity_id == activity.id)
                                   .join(Person, Person.id == CheckInHelper.person_id)
                                   .order_by(Person.full_name, CheckInHelper.id)))


def add_helper(activity: Activity, email: str, *, actor: Person) -> CheckInHelper:
    """Let the person with this address (an existing account) check people in at this activity; audited."""
    person = find_by_email(email)
    if person is None or person.erased_at is not None:
        raise HelperError(_("No account has this email address. The person needs an account first."), "email")
    if not person.is_active:
        raise HelperError(_("This account is deactivated."), "email")
    if teaches(person, activity.id):
        raise HelperError(_("%(name)s can already check people in: they are a trainer of this activity "
                            "or an administrator.", name=person.full_name), "email")
    helper = CheckInHelper(activity_id=activity.id, person_id=person.id, added_by_id=actor.id)
    db.session.add(helper)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise HelperError(_("%(name)s is already a check-in helper here.", name=person.full_name), "email") from None
    audit(AuditAction.CHECK_IN_HELPER_ADDED, actor=actor, object_type="activity", object_id=activity.id,
          details={"person_id": person.id})
    db.session.commit()
    return helper


def remove_helper(helper: CheckInHelper, *, actor: Person) -> None:
    audit(AuditAction.CHECK_IN_HELPER_REMOVED, actor=actor, object_type="activity", object_id=helper.activity_id,
          details={"person_id": helper.person_id})
    db.session.delete(helper)
    db.session.commit()
