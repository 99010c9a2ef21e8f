"""Placements: create and edit them, keep the daily programme, write the reports. Each call is one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.database import utcnow
from elearn.errors import UserError
from elearn.extensions import db
from elearn.i18n import valid_timezones
from elearn.people.models import Parliament, Person
from elearn.people.services import find_by_email
from elearn.placements import rules
from elearn.placements.models import DayPart, Placement, PlacementEntry, PlacementReport, PlacementStatus, ReportSide
from elearn.scheduling.models import Activity, Programme
from elearn.topics import Topic


class PlacementError(UserError):
    """A placement change refused, with the field at fault."""


@dataclass(frozen=True)
class PlacementInput:
    person_email: str
    tutor_email: str
    host_parliament_id: int
    service: str
    starts_on: date
    ends_on: date
    timezone: str
    status: PlacementStatus = PlacementStatus.PLANNED
    objectives: str = ""
    activity_id: int | None = None
    programme_id: int | None = None
    topic_id: int | None = None


@dataclass(frozen=True)
class EntryInput:
    day: date
    part: DayPart
    what: str
    place: str = ""
    with_whom: str = ""


def _person(email: str, field: str) -> Person:
    person = find_by_email(email or "")
    if person is None or not person.is_active or person.erased_at is not None:
        raise PlacementError(_("No active account has this e-mail address."), field)
    return person


def _optional(model, value: int | None, field: str):
    if value is None:
        return None
    found = db.session.get(model, value)
    if found is None:
        raise PlacementError(_("This choice does not exist any more: choose again."), field)
    return found


def _checked(data: PlacementInput) -> dict:
    """Every check before any write: the values to set, or a PlacementError naming the field."""
    host = _optional(Parliament, data.host_parliament_id, "host_parliament_id")
    if host is None:
        raise PlacementError(_("Choose the host parliament."), "host_parliament_id")
    person = _person(data.person_email, "person_email")
    if person.parliament is None or not person.parliament.receives_assistance:
        raise PlacementError(_("The placed person must belong to a partner parliament."), "person_email")
    if person.parliament_id == host.id:
        raise PlacementError(_("The host parliament must not be the placed person's own."), "host_parliament_id")
    tutor = _person(data.tutor_email, "tutor_email")
    if tutor.id == person.id:
        raise PlacementError(_("The tutor cannot be the placed person."), "tutor_email")
    if tutor.parliament_id != host.id:
        raise PlacementError(_("The tutor must be a person of the host parliament."), "tutor_email")
    if data.ends_on < data.starts_on:
        raise PlacementError(_("The placement cannot end before it starts."), "ends_on")
    if data.timezone not in valid_timezones():
        raise PlacementError(_("Unknown timezone. Use a name such as Europe/Paris or Africa/Banjul."), "timezone")
    service = data.service.strip()
    if not service:
        raise PlacementError(_("Name the host service."), "service")
    _optional(Activity, data.activity_id, "activity_id")
    _optional(Programme, data.programme_id, "programme_id")
    _optional(Topic, data.topic_id, "topic_id")
    return dict(person_id=person.id, tutor_id=tutor.id, host_parliament_id=host.id, service=service,
                starts_on=data.starts_on, ends_on=data.ends_on, timezone=data.timezone, status=data.status,
                objectives=data.objectives.strip(), activity_id=data.activity_id, programme_id=data.programme_id,
                topic_id=data.topic_id)


def save_placement(data: PlacementInput, actor: Person, placement: Placement | None = None) -> Placement:
    """Create a placement, or change one; entries that the new period leaves out are refused, not dropped."""
    values = _checked(data)
    if placement is not None:
        outside = [e.day for e in placement.entries if not data.starts_on <= e.day <= data.ends_on]
        if outside:
            raise PlacementError(_("The daily programme has entries outside this period (first: %(day)s): "
                                   "remove them first.", day=min(outside).isoformat()), "starts_on")
        _drop_replaced_drafts(placement, values)
    else:
        placement = Placement(created_by_id=actor.id)
        db.session.add(placement)
    for name, value in values.items():
        setattr(placement, name, value)
    db.session.commit()
    return placement


def _drop_replaced_drafts(placement: Placement, values: dict) -> None:
    """A draft is its author's alone: when the tutor or the placed person is replaced, their unsubmitted draft
    goes rather than open to the newcomer (a submitted report stays, signed by who wrote it)."""
    replaced = [side for side, column in ((ReportSide.TUTOR, "tutor_id"), (ReportSide.PLACED, "person_id"))
                if column in values and values[column] != getattr(placement, column)]
    for side in replaced:
        draft = report_of(placement, side)
        if draft is not None and not draft.submitted:
            db.session.delete(draft)


def _slot_free(placement: Placement, day: date, part: DayPart) -> bool:
    """A day holds a whole-day entry, or a morning and an afternoon; never both kinds, never twice one slot."""
    taken = {e.part for e in placement.entries if e.day == day}
    if part == DayPart.DAY:
        return not taken
    return DayPart.DAY not in taken and part not in taken


def add_entry(placement: Placement, data: EntryInput) -> PlacementEntry:
    if not placement.starts_on <= data.day <= placement.ends_on:
        raise PlacementError(_("Choose a day within the placement (%(start)s to %(end)s).",
                               start=placement.starts_on.isoformat(), end=placement.ends_on.isoformat()), "day")
    what = data.what.strip()
    if not what:
        raise PlacementError(_("Say what the placed person does."), "what")
    if not _slot_free(placement, data.day, data.part):
        raise PlacementError(_("This day or half-day already has an entry: remove it first."), "part")
    entry = PlacementEntry(placement=placement, day=data.day, part=data.part, what=what,
                           place=data.place.strip(), with_whom=data.with_whom.strip())
    db.session.add(entry)
    db.session.commit()
    return entry


def delete_entry(entry: PlacementEntry) -> None:
    db.session.delete(entry)
    db.session.commit()


def save_report(placement: Placement, author: Person, *, what_was_done: str, follow_up: str,
                submit: bool) -> PlacementReport:
    """The author's own report: saved as a draft, or submitted (then it is final and others may read it)."""
    side = rules.side_of(author, placement)
    if side is None or not rules.can_write_report(author, placement):
        raise PlacementError(_("You cannot write a report for this placement now."))
    report = report_of(placement, side)
    if report is not None and report.submitted:
        raise PlacementError(_("This report is submitted already; it cannot be changed."))
    if submit and not what_was_done.strip():
        raise PlacementError(_("Say what was done before submitting the report."), "what_was_done")
    if report is None:
        report = PlacementReport(placement=placement, side=side)
        db.session.add(report)
    report.author_id = author.id
    report.what_was_done = what_was_done.strip()
    report.follow_up = follow_up.strip()
    if submit:
        report.submitted_at = utcnow()
    db.session.commit()
    return report


def report_of(placement: Placement, side: ReportSide) -> PlacementReport | None:
    return db.session.scalar(select(PlacementReport).where(PlacementReport.placement_id == placement.id,
                                                           PlacementReport.side == side))
