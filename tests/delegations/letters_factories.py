"""A confirmed participant with travel and stay stated, ready for an invitation letter."""
from __future__ import annotations

from datetime import date

from elearn.access import Role
from elearn.delegations.logistics_models import Logistics, Payer
from elearn.extensions import db
from elearn.people.models import PersonKind
from elearn.scheduling.models import Registration, RegistrationState
from elearn.scheduling.services import SessionInput
from tests.factories import make_parliament, make_person
from tests.scheduling.factories import make_activity, make_programme

PASSPORT = "P9Z81X4Q7"


def visit(trainers=(), **overrides):
    """A three-day visit in Paris, funded by a ministry, with these trainers."""
    programme = make_programme(funders=["Ministry of Foreign Affairs"])
    sessions = (SessionInput(start_date=date(2027, 3, 3), end_date=date(2027, 3, 5), all_day=True),)
    values = dict(title="Working visit on budget oversight", sessions=sessions, programme=programme,
                  venue_name="Palais Bourbon", venue_city="Paris", venue_country="FR",
                  trainer_ids=tuple(trainer.id for trainer in trainers))
    values.update(overrides)
    return make_activity(**values)


def participant(activity, *, state=RegistrationState.CONFIRMED, travel=Payer.MINISTRY, stay=Payer.PROGRAMME,
                logistics=True, passport=PASSPORT, **person):
    values = dict(full_name="Aya Kouassi", position="Member of the finance committee", kind=PersonKind.MP,
                  parliament=make_parliament(name_en="National Assembly of Côte d'Ivoire",
                                             name_fr="Assemblée nationale de Côte d'Ivoire", country_code="CI"))
    values.update(person)
    holder = make_person(Role.LEARNER, **values)
    registration = Registration(activity=activity, person=holder, state=state,
                                waitlist_position=1 if state == RegistrationState.WAITLISTED else None)
    db.session.add(registration)
    if logistics:
        db.session.add(Logistics(registration=registration, travel_paid_by=travel, stay_paid_by=stay,
                                 visa_needed=True, passport_number=passport, passport_country="CI",
                                 passport_expires_on=date(2031, 1, 31), birth_date=date(1980, 5, 17)))
    db.session.commit()
    return registration


def pdf_text(body: bytes) -> str:
    """The letter's text as a PDF reader extracts it, one line per line."""
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)
