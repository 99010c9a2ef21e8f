"""The live balance of a call's selection (parliament, gender, kind, side) and the targets it is checked against.

Sides are those of members of parliament on the activity's first day, from the affiliation
history. The counts by side are computed here but shown only where the viewer may see them
(calls_admin decides: administrators, audited; trainers under people.side_balance's rule).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.delegations.calls_models import Application, ApplicationStatus, Call, SelectionTarget
from elearn.extensions import db
from elearn.people.affiliations import side_on, timelines
from elearn.people.models import Gender, Person, PersonKind, PoliticalSide
from elearn.scheduling import balance as scheduling_balance
from elearn.scheduling.models import Activity

NOT_STATED = "not_stated"


@dataclass
class Balance:
    selected: int = 0
    capacity: int = 0
    by_parliament: list[tuple[str, int]] = field(default_factory=list)  # most seats first
    by_gender: dict[str, int] = field(default_factory=dict)  # Gender value or "not_stated"
    by_kind: dict[str, int] = field(default_factory=dict)  # PersonKind value
    sides: dict[str, int] = field(default_factory=dict)  # members only, PoliticalSide value: never shown as is

    @property
    def members(self) -> int:
        return self.by_kind.get(PersonKind.MP.value, 0)

    @property
    def women_percent(self) -> float | None:
        return 100 * self.by_gender.get(Gender.WOMAN.value, 0) / self.selected if self.selected else None

    def side_counts(self) -> list[int]:
        return [self.sides.get(side.value, 0) for side in PoliticalSide]


activity_day = scheduling_balance.activity_day


@dataclass(frozen=True)
class Targets:
    """The targets in force for an activity's selection: its own or its programme's row, and the opposition
    share of the activity or programme (scheduling.balance.opposition_target, the one nominations read)."""

    women_min_percent: int | None = None
    max_per_parliament: int | None = None
    both_sides_required: bool = False
    opposition_min_percent: int | None = None
    activity_id: int | None = None
    programme_id: int | None = None


def selected_people(call: Call) -> list[Person]:
    return list(db.session.scalars(
        select(Person).join(Application, Application.person_id == Person.id)
        .where(Application.call_id == call.id, Application.status == ApplicationStatus.SELECTED)
        .options(selectinload(Person.parliament)).order_by(Person.id)))


def compute(call: Call) -> Balance:
    """The balance of the applications selected so far: four queries whatever their number."""
    people = selected_people(call)
    activity = call.activity
    balance = Balance(selected=len(people), capacity=activity.capacity)
    locale = str(get_locale())
    parliaments = Counter(p.parliament.name(locale) if p.parliament else _("No parliament") for p in people)
    balance.by_parliament = sorted(parliaments.items(), key=lambda item: (-item[1], item[0]))
    balance.by_gender = dict(Counter(p.gender.value if p.gender else NOT_STATED for p in people))
    balance.by_kind = dict(Counter(p.kind.value for p in people))
    members = [p.id for p in people if p.kind == PersonKind.MP]
    histories = timelines(members) if members else {}
    day = activity_day(activity)
    balance.sides = dict(Counter((side_on(histories.get(pid, []), day) or PoliticalSide.NOT_STATED).value
                                 for pid in members))
    return balance


def target_for(activity: Activity) -> Targets | None:
    """The activity's own targets, else its programme's, else the programme's share of women; with the
    opposition share of the activity or its programme. None: no target at all."""
    row = db.session.scalar(select(SelectionTarget).where(SelectionTarget.activity_id == activity.id))
    if row is None and activity.programme_id is not None:
        row = db.session.scalar(select(SelectionTarget).where(SelectionTarget.programme_id == activity.programme_id))
    opposition = scheduling_balance.opposition_target(activity)
    if row is not None:
        return Targets(row.women_min_percent, row.max_per_parliament, row.both_sides_required, opposition,
                       row.activity_id, row.programme_id)
    women = activity.programme.women_target_percent if activity.programme is not None else None
    if women is None and opposition is None:
        return None
    return Targets(women_min_percent=women, opposition_min_percent=opposition)


def warnings(balance: Balance, target: Targets | None, *, sides_visible: bool,
             quota: int | None = None) -> list[str]:
    """What the selection misses; side targets only when the viewer may see sides (else one neutral note).

    `quota` is the activity's seats per parliament, checked when the targets set no maximum of their own.
    """
    if not balance.selected:
        return []
    target = target or Targets()
    found = []
    women = balance.women_percent
    if target.women_min_percent is not None and women is not None and women < target.women_min_percent:
        found.append(_("Women are %(share).0f %% of the selection; the target is at least %(target)d %%.",
                       share=women, target=target.women_min_percent))
    most = target.max_per_parliament or quota
    if most is not None:
        over = [name for name, count in balance.by_parliament if count > most]
        if over:
            found.append(ngettext("More than %(num)d seat for: %(names)s.",
                                  "More than %(num)d seats for: %(names)s.", most, names=", ".join(over)))
    side_targets = target.both_sides_required or target.opposition_min_percent is not None
    if side_targets and balance.members:
        if sides_visible:
            found += _side_warnings(balance, target)
        else:
            found.append(_("The targets on political sides cannot be checked on this page while the sides of so "
                           "few members could be told; an administrator can check them."))
    return found


def _side_warnings(balance: Balance, target: Targets) -> list[str]:
    found = []
    ruling = balance.sides.get(PoliticalSide.RULING.value, 0)
    opposition = balance.sides.get(PoliticalSide.OPPOSITION.value, 0)
    if target.both_sides_required and not (ruling and opposition):
        found.append(_("The selected members do not come from both the majority and the opposition."))
    if target.opposition_min_percent is not None:
        share = 100 * opposition / balance.members
        if share < target.opposition_min_percent:
            found.append(_("Opposition members are %(share).0f %% of the selected members; the target is at "
                           "least %(target)d %%.", share=share, target=target.opposition_min_percent))
    return found
