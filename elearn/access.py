"""The one place that decides who may call a view.

Every view carries an explicit rule (`public`, `login_required` or
`roles_required(...)`); create_app refuses to start if a route has none, so a
new page cannot be added without deciding who may see it.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from elearn.enums import LabelledEnum


class Role(LabelledEnum):
    LEARNER = "learner", _l("Learner")
    FOCAL_POINT = "focal_point", _l("Focal point")
    TRAINER = "trainer", _l("Trainer")
    ADMIN = "admin", _l("Administrator")


# An administrator can do everything a trainer can.
IMPLIED_ROLES = {Role.ADMIN: {Role.ADMIN, Role.TRAINER, Role.LEARNER},
                 Role.TRAINER: {Role.TRAINER, Role.LEARNER},
                 Role.FOCAL_POINT: {Role.FOCAL_POINT, Role.LEARNER},
                 Role.LEARNER: {Role.LEARNER}}

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def has_role(person, *roles: Role) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    granted = IMPLIED_ROLES[Role(person.role)]
    return any(role in granted for role in roles)


def _mark(view, rule):
    view.access_rule = rule
    return view


def public(view):
    return _mark(view, PUBLIC)


def login_required(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(guarded, AUTHENTICATED)


def roles_required(*roles: Role):
    """Allow signed-in people holding one of `roles` (admins hold every staff role)."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return _mark(guarded, tuple(sorted(role.value for role in roles)))

    return decorator


def check_every_route_has_a_rule(app) -> None:
    missing = [
        endpoint for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "access_rule")
    ]
    if missing:
        raise RuntimeError(f"routes without an access rule: {', '.join(sorted(missing))}")
