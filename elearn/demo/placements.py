"""Demo shadowing placements: Sonam Clerk (Bhutan) placed in the French National Assembly's Table Office around the
demo working visit, and an earlier placement in the Senate's verbatim record service, completed and reported."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.database import utcnow
from elearn.demo.delegations import VISIT_TITLE
from elearn.demo.experts import email_of
from elearn.extensions import db
from elearn.people.services import find_by_email
from elearn.placements import services
from elearn.placements.models import DayPart, Placement, PlacementStatus
from elearn.scheduling.models import Activity
from elearn.topics import Topic

PLACED = "staff@example.org"
TABLE_OFFICE, VERBATIM = "Table Office", "Verbatim Record Service"


def _topic(slug: str) -> int | None:
    return db.session.scalar(select(Topic.id).where(Topic.slug == slug))


def seed_placements() -> None:
    """Idempotent: a placement already there (by person and service) is left as it is."""
    placed, admin = find_by_email(PLACED), find_by_email("admin@example.org")
    if placed is None or admin is None:
        return
    _table_office(placed, admin)
    _verbatim_record(placed, admin)


def _exists(placed, service: str) -> bool:
    return db.session.scalar(select(Placement.id).where(Placement.person_id == placed.id,
                                                        Placement.service == service)) is not None


def _table_office(placed, admin) -> None:
    tutor = find_by_email(email_of("Claire Vasseur"))
    if tutor is None or _exists(placed, TABLE_OFFICE):
        return
    visit = db.session.scalar(select(Activity).where(Activity.title == VISIT_TITLE))
    first = visit.sessions[0].local_start.date() if visit and visit.sessions else utcnow().date() + timedelta(days=21)
    placement = services.save_placement(services.PlacementInput(
        person_email=placed.email, tutor_email=tutor.email, host_parliament_id=tutor.parliament_id,
        service=TABLE_OFFICE, starts_on=first, ends_on=first + timedelta(days=11), timezone="Europe/Paris",
        objectives="See how the Table Office prepares the order paper, checks amendments and advises the chair "
                   "during the sitting; bring back a checklist for the Bhutanese Table Office.",
        activity_id=visit.id if visit else None, programme_id=visit.programme_id if visit else None,
        topic_id=_topic("plenary-sitting")), admin)
    # The visit's days are left free: the page offers to copy its agenda into them.
    for offset, part, what, place, with_whom in [
            (7, DayPart.MORNING, "Preparing the order paper", "Table Office, room 5207", "The deputy head of the office"),
            (7, DayPart.AFTERNOON, "The sitting from the clerks' bench", "Chamber", "The clerk at the table"),
            (8, DayPart.DAY, "Admissibility of amendments", "Amendments unit", "Two amendment officers"),
            (11, DayPart.MORNING, "Debriefing and checklist", "Committee Department", "Claire Vasseur")]:
        services.add_entry(placement, services.EntryInput(first + timedelta(days=offset), part, what, place, with_whom))


def _verbatim_record(placed, admin) -> None:
    tutor = find_by_email(email_of("Jean-Baptiste Lemaire"))
    if tutor is None or _exists(placed, VERBATIM):
        return
    today = utcnow().date()
    monday = today - timedelta(days=today.weekday() + 28)  # four weeks ago, a Monday
    placement = services.save_placement(services.PlacementInput(
        person_email=placed.email, tutor_email=tutor.email, host_parliament_id=tutor.parliament_id,
        service=VERBATIM, starts_on=monday, ends_on=monday + timedelta(days=4), timezone="Europe/Paris",
        status=PlacementStatus.UNDER_WAY, topic_id=_topic("official-record"),
        objectives="Follow the production of the verbatim record from the sitting to same-day publication."),
        admin)
    for offset, what in [(0, "Reporters' shifts in the chamber"), (1, "Revising and editing the record"),
                         (2, "Speech-to-text tools"), (3, "Publishing the same day")]:
        services.add_entry(placement, services.EntryInput(monday + timedelta(days=offset), DayPart.DAY, what,
                                                          "Verbatim Record Service", "Jean-Baptiste Lemaire"))
    services.save_report(placement, tutor, submit=True,
                         what_was_done="Sonam followed four reporters' shifts and revised two sittings' records.",
                         follow_up="A style guide and a shift rota would suit a team of six reporters.")
    services.save_report(placement, placed, submit=True,
                         what_was_done="Learnt how shifts of ten minutes keep the record within the day.",
                         follow_up="Draft a style guide for the Bhutanese record; try the shift rota.")
    placement.status = PlacementStatus.COMPLETED
    db.session.commit()
