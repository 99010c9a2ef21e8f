"""What a personal access token may do, and which of it a person's current role allows."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from elearn.access import Role, has_role
from elearn.enums import LabelledEnum


class Scope(LabelledEnum):
    READ_PUBLIC = "read:public", _l("Read what the public calendar and catalogue show")
    READ_SELF = "read:self", _l("Read your own registrations, enrolments, progress and certificates")
    WRITE_SELF = "write:self", _l("Register for activities and withdraw, for yourself")
    READ_PARLIAMENT = "read:parliament", _l("Read your parliament's people, nominations, registrations and attendance")
    WRITE_PARLIAMENT = "write:parliament", _l("Nominate people of your parliament")
    READ_REPORTS = "read:reports", _l("Read rosters, attendance, participation figures, indicators, requests and action plans")
    WRITE_ATTENDANCE = "write:attendance", _l("Record attendance at sessions")


# The role a scope needs, checked when the token is made and again at every call (a role may be taken away).
SCOPE_ROLES: dict[Scope, tuple[Role, ...]] = {
    Scope.READ_PUBLIC: (Role.LEARNER,),
    Scope.READ_SELF: (Role.LEARNER,),
    Scope.WRITE_SELF: (Role.LEARNER,),
    Scope.READ_PARLIAMENT: (Role.FOCAL_POINT,),
    Scope.WRITE_PARLIAMENT: (Role.FOCAL_POINT,),
    Scope.READ_REPORTS: (Role.TRAINER,),
    Scope.WRITE_ATTENDANCE: (Role.TRAINER,),
}


def allowed_scopes(person) -> list[Scope]:
    """The scopes `person` may hold now, in the order of the enum. A focal point needs a parliament."""
    allowed = [scope for scope in Scope if has_role(person, *SCOPE_ROLES[scope])]
    if getattr(person, "parliament_id", None) is None:
        allowed = [scope for scope in allowed if scope not in (Scope.READ_PARLIAMENT, Scope.WRITE_PARLIAMENT)]
    return allowed


def parse_scopes(text: str) -> list[Scope]:
    """Scopes stored as one space-separated string (as OAuth writes them); unknown names are dropped."""
    known = {scope.value: scope for scope in Scope}
    return [known[name] for name in text.split() if name in known]
