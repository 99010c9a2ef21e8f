"""The opposition target of an activity, and the note the nomination and roster pages show against it.

One source of truth: `Activity.opposition_target_percent`, else its programme's. The selection
balance of calls for applications (delegations.balance) reads the same target.

The note never tells anyone's side. Members are those with a confirmed or requested place, counted
with the side they hold on the activity's first day. Someone who knows who the members are (a focal
point, a trainer) sees the share only when people.side_balance allows the side counts to be shown;
otherwise they see one neutral note, the same whatever the sides, so that nominating one member after
another teaches nothing. Administrators always see the share. Every showing of a share is audited.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.access import Role, has_role
from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.affiliations import side_on, timelines
from elearn.people.models import Person, PersonKind, PoliticalSide
from elearn.people.side_balance import sides_may_be_shown
from elearn.scheduling.models import Activity, Registration, RegistrationState

COUNTED_STATES = (RegistrationState.CONFIRMED, RegistrationState.REQUESTED)


def opposition_target(activity: Activity) -> int | None:
    """The activity's own target, else its programme's; None: no target."""
    if activity.opposition_target_percent is not None:
        return activity.opposition_target_percent
    return activity.programme.opposition_target_percent if activity.programme is not None else None


def activity_day(activity: Activity) -> date:
    """The day sides are taken on: the activity's first day in its zone (today if it has no date)."""
    return activity.starts_at.astimezone(activity.zone).date() if activity.starts_at else utcnow().date()


@dataclass(frozen=True)
class SideCounts:
    sides: dict[str, int]  # PoliticalSide value → members; never shown as is

    @property
    def members(self) -> int:
        return sum(self.sides.values())

    def counts(self) -> list[int]:
        return [self.sides.get(side.value, 0) for side in PoliticalSide]

    @property
    def opposition_percent(self) -> float:
        return 100 * self.sides.get(PoliticalSide.OPPOSITION.value, 0) / self.members if self.members else 0.0


def member_sides(activity: Activity) -> SideCounts:
    """The sides of the activity's members with a confirmed or requested place: two queries."""
    members = list(db.session.scalars(
        select(Person.id).join(Registration, Registration.person_id == Person.id)
        .where(Registration.activity_id == activity.id, Registration.state.in_(COUNTED_STATES),
               Person.kind == PersonKind.MP)))
    histories = timelines(members) if members else {}
    day = activity_day(activity)
    return SideCounts(dict(Counter((side_on(histories.get(pid, []), day) or PoliticalSide.NOT_STATED).value
                                   for pid in members)))


@dataclass(frozen=True)
class Note:
    text: str
    missed: bool  # a warning (the share is under the target), else information
    audited: bool = False  # a share is shown: the caller commits the audit event


def opposition_note(activity: Activity, viewer) -> Note | None:
    """What `viewer` may read of the activity's members against its opposition target; None: nothing to say.

    Adds a POLITICAL_SIDE_READ audit event to the session when a share is shown (the caller commits).
    """
    target = opposition_target(activity)
    if target is None:
        return None
    sides = member_sides(activity)
    if not sides.members:
        return None
    if not (has_role(viewer, Role.ADMIN)
            or sides_may_be_shown(sides.counts(), current_app.config["REPORT_MIN_CELL"])):
        return Note(_("The balance between majority and opposition cannot be shown for so few members; "
                      "an administrator can check it against the target of at least %(target)d %%.",
                      target=target), missed=False)
    # Counts of named people, though aggregated: who looked is kept, as for the selection balance.
    audit(AuditAction.POLITICAL_SIDE_READ, actor=viewer, object_type="activity", object_id=activity.id,
          details={"aggregate": True, "opposition_target": True})
    share = sides.opposition_percent
    if share < target:
        return Note(_("Opposition members are %(share).0f %% of the members registered; the target is at "
                      "least %(target)d %%.", share=share, target=target), missed=True, audited=True)
    return Note(_("Opposition members are %(share).0f %% of the members registered: the target of at least "
                  "%(target)d %% is met.", share=share, target=target), missed=False, audited=True)
