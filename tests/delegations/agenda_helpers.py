"""Shared set-up of the agenda tests: a three-day visit in Paris with its trainer, participants and institutions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select

from elearn.access import Role
from elearn.database import utcnow
from elearn.delegations import agenda, institutions
from elearn.delegations.agenda_models import Institution, InstitutionKind
from elearn.extensions import db
from elearn.scheduling.models import Activity, Registration, RegistrationState
from elearn.scheduling.services import SessionInput
from tests.factories import make_person
from tests.scheduling.factories import make_activity


@dataclass
class Visit:
    activity: Activity
    trainer: object
    members: list
    staff: object
    waiting: object
    registrations: dict
    senate: object
    council: object
    first_day: date


def first_day() -> date:
    return utcnow().date() + timedelta(days=20)


def register(activity, person, state=RegistrationState.CONFIRMED) -> Registration:
    registration = Registration(activity=activity, person=person, state=state,
                                waitlist_position=1 if state == RegistrationState.WAITLISTED else None)
    db.session.add(registration)
    db.session.commit()
    return registration


def institution(name: str, kind: InstitutionKind, address: str) -> Institution:
    found = db.session.scalar(select(Institution).where(Institution.name == name, Institution.city == "Paris"))
    return found or institutions.save_institution(institutions.InstitutionInput(
        name=name, kind=kind, address=address, city="Paris", country="FR"))


def make_visit(**overrides) -> Visit:
    day = first_day()
    trainer = make_person(Role.TRAINER)
    values = dict(title="Working visit", timezone="Europe/Paris", trainer_ids=(trainer.id,),
                  sessions=tuple(SessionInput(start_date=day + timedelta(days=n), start_time=time(9),
                                              end_time=time(17, 30)) for n in range(3)))
    values.update(overrides)
    activity = make_activity(**values)
    awa = make_person(full_name="Awa Kouassi", preferred_language="fr", timezone="Africa/Abidjan")
    yao = make_person(full_name="Yao N'Guessan", preferred_language="en")
    staff = make_person(full_name="Koffi Brou", preferred_language="fr")
    waiting = make_person(full_name="Serge Konan")
    registrations = {p.id: register(activity, p) for p in (awa, yao, staff)}
    registrations[waiting.id] = register(activity, waiting, RegistrationState.WAITLISTED)
    senate = institution("Senate", InstitutionKind.UPPER_HOUSE, "15 rue de Vaugirard")
    council = institution("Constitutional Council", InstitutionKind.CONSTITUTIONAL_COURT, "2 rue de Montpensier")
    return Visit(activity, trainer, [awa, yao], staff, waiting, registrations, senate, council, day)


def item_input(visit: Visit, **changes) -> agenda.AgendaItemInput:
    session = visit.activity.sessions[0]
    values = dict(session_id=session.id, day=visit.first_day, start_time=time(10), end_time=time(11, 30),
                  title="Meeting with the Finance Committee", institution_id=visit.senate.id, host="Ms Martin",
                  room="Salle Médicis", briefing_md="Bring the **budget** notes.")
    values.update(changes)
    return agenda.AgendaItemInput(**values)


def members_only(visit: Visit, **changes) -> agenda.AgendaItemInput:
    return item_input(visit, for_everyone=False,
                      registration_ids=tuple(visit.registrations[p.id].id for p in visit.members), **changes)
