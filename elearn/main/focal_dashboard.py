"""The focal point's dashboard: their parliament's coming activities, delegations, nominations and requests.

A focal point knows who is in their delegation, so its political balance is shown
more strictly than the reports' aggregates: members of parliament only, and only
when at least two sides are present and each side present counts at least
REPORT_MIN_CELL members (people.side_balance, which trainers' selection pages share).
Otherwise no side is shown at all, since a small or a lone group would tell
someone's side. Individual sides are never shown, so no read of one is audited.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from elearn.access import Role
from elearn.cooperation import queries as cooperation_queries
from elearn.cooperation.queries import OpenRequest
from elearn.people.models import PersonKind
from elearn.people.side_balance import sides_may_be_shown
from elearn.reports.figures import Row
from elearn.reports.slices import gender_key, gender_rows, side_key, side_rows
from elearn.scheduling import delegations
from elearn.scheduling.delegations import DelegationActivity, Member, PendingNomination

SHOWN = 4


@dataclass(frozen=True)
class Count:
    label: str
    shown: str  # a number, or the mark of a hidden group


@dataclass(frozen=True)
class Balance:
    people: int
    genders: list[Count]
    sides: list[Count]  # members of parliament only; empty when there are none or it would tell someone's side
    members_of_parliament: int = 0


@dataclass(frozen=True)
class DelegationLine:
    item: DelegationActivity
    balance: Balance


@dataclass(frozen=True)
class FocalDashboard:
    parliament_id: int
    minimum: int
    activities: list[DelegationLine] = field(default_factory=list)
    nominations: list[PendingNomination] = field(default_factory=list)
    requests: list[OpenRequest] = field(default_factory=list)


def _rows(members: list[Member], labels: list[tuple[str, str]], key) -> list[Row]:
    rows = {row_key: Row(row_key, label) for row_key, label in labels}
    for member in members:
        rows[key(member)].figures.people.add(member.person_id)
    return list(rows.values())


def balance(members: list[Member], minimum: int) -> Balance:
    """Genders of the whole delegation; sides of its members of parliament when no one's side can be told."""
    genders = [Count(row.label, str(len(row.figures.people)))
               for row in _rows(members, gender_rows(), gender_key) if row.figures.people]
    mps = [member for member in members if member.kind == PersonKind.MP]
    rows = _rows(mps, side_rows(), side_key)
    present = [row for row in rows if row.figures.people]
    safe = sides_may_be_shown((len(row.figures.people) for row in rows), minimum)
    sides = [Count(row.label, str(len(row.figures.people))) for row in present] if safe else []
    return Balance(len(members), genders, sides, len(mps))


def build(person, now: datetime) -> FocalDashboard | None:
    """None for anyone but a focal point of a parliament; else a fixed number of queries."""
    if Role(person.role) != Role.FOCAL_POINT or person.parliament_id is None:
        return None
    minimum = current_app.config["REPORT_MIN_CELL"]
    lines = [DelegationLine(item, balance(item.members, minimum))
             for item in delegations.coming_activities(person.parliament_id, now, SHOWN)]
    return FocalDashboard(parliament_id=person.parliament_id, minimum=minimum, activities=lines,
                          nominations=delegations.nominations_awaiting(person.parliament_id, now, SHOWN),
                          requests=cooperation_queries.open_requests(person, SHOWN))
