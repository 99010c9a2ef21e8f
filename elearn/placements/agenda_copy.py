"""The linked visit's agenda, offered to the daily programme: shown beside it and copied into its free slots."""
from __future__ import annotations

from sqlalchemy import select

from elearn.delegations import agenda
from elearn.delegations.agenda_models import AgendaItem
from elearn.extensions import db
from elearn.placements.models import DayPart, Placement, PlacementEntry
from elearn.scheduling.models import Registration, RegistrationState


def visit_items(placement: Placement) -> list[AgendaItem]:
    """The visit's agenda items within the placement's period: the placed person's own agenda if they have a
    confirmed place at the visit, else the items meant for every participant."""
    if placement.activity is None:
        return []
    registration = db.session.scalar(select(Registration).where(
        Registration.activity_id == placement.activity_id, Registration.person_id == placement.person_id,
        Registration.state == RegistrationState.CONFIRMED))
    items = (agenda.registration_items(registration) if registration is not None
             else [item for item in agenda.activity_items(placement.activity) if item.for_everyone])
    return [item for item in items if placement.starts_on <= item.local_start.date() <= placement.ends_on]


def part_of_day(item: AgendaItem) -> DayPart:
    start, end = item.local_start, item.local_end
    if end.date() == start.date() and (end.hour, end.minute) <= (13, 0):
        return DayPart.MORNING
    if start.hour >= 12:
        return DayPart.AFTERNOON
    return DayPart.DAY


def _where(item: AgendaItem) -> str:
    return ", ".join(part for part in (item.institution.name if item.institution else "", item.room) if part)


def _joined(values: list[str], limit: int) -> str:
    text = " · ".join(dict.fromkeys(v for v in values if v))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def copy_visit_agenda(placement: Placement) -> int:
    """Copy the visit's items into the slots of the programme still empty (items sharing a slot become one
    entry); slots already filled, by hand or by an earlier copy, are left as they are. Returns entries added."""
    slots: dict[tuple, list[AgendaItem]] = {}
    for item in visit_items(placement):
        slots.setdefault((item.local_start.date(), part_of_day(item)), []).append(item)
    taken: dict = {}
    for entry in placement.entries:
        taken.setdefault(entry.day, set()).add(entry.part)
    added = 0
    for (day, part), items in sorted(slots.items(), key=lambda slot: (slot[0][0], slot[0][1].rank)):
        used = taken.setdefault(day, set())
        if DayPart.DAY in used or part in used or (part == DayPart.DAY and used):
            continue
        used.add(part)
        db.session.add(PlacementEntry(
            placement=placement, day=day, part=part, agenda_item_id=items[0].id,
            what=_joined([i.title for i in items], 300), place=_joined([_where(i) for i in items], 200),
            with_whom=_joined([i.host for i in items], 200)))
        added += 1
    db.session.commit()
    return added
