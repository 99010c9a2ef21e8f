"""The demo's travel and stay: the Côte d'Ivoire delegation flies in from Abidjan the day before its working
visit, stays in a Paris hotel paid by the host parliament, on a per-diem in euros. Re-runs add nothing.
"""
from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from elearn.delegations import logistics as services
from elearn.delegations.logistics_models import Logistics, Payer, TravelMode
from elearn.demo.delegations import VISIT_TITLE
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Registration, RegistrationState

# By email: the two who need a visa, with made-up passport details (number, birth date), and a dietary need.
VISAS = {"awa.kouassi@example.org": ("CI0000101", date(1974, 3, 12)),
         "koffi.brou@example.org": ("CI0000102", date(1986, 11, 3))}
DIETARY = {"mariam.traore@example.org": "Vegetarian, no fish"}
AIRPORT = "Paris-Charles de Gaulle, terminal 2E"


def _input(person: Person, first_day: date, last_day: date) -> services.LogisticsInput:
    passport, born = VISAS.get(person.email, ("", None))
    return services.LogisticsInput(
        travel_paid_by=Payer.PROGRAMME, stay_paid_by=Payer.HOST_PARLIAMENT,
        arrival_on=first_day - timedelta(days=1), arrival_time=time(15, 35), arrival_mode=TravelMode.FLIGHT,
        arrival_reference="AF 703", arrival_place=AIRPORT,
        departure_on=last_day, departure_time=time(23, 50), departure_mode=TravelMode.FLIGHT,
        departure_reference="AF 702", departure_place=AIRPORT,
        hotel_name="Hôtel de l'Université", hotel_address="22 rue de l'Université, 75007 Paris",
        check_in_on=first_day - timedelta(days=1), check_out_on=last_day,
        per_diem_amount=Decimal("95.00"), per_diem_currency="EUR", per_diem_days=(last_day - first_day).days + 2,
        visa_needed=bool(passport), dietary_needs=DIETARY.get(person.email, ""),
        passport_number=passport, passport_country="CI" if passport else "",
        passport_expires_on=last_day + timedelta(days=5 * 365) if passport else None, birth_date=born)


def seed_logistics() -> None:
    activity = db.session.scalar(select(Activity).where(Activity.title == VISIT_TITLE))
    if activity is None or not activity.sessions or not activity.trainers:
        return
    zone = activity.zone
    first_day = activity.sessions[0].local_start.date()
    last_day = activity.sessions[-1].local_end.astimezone(zone).date()
    done = select(Logistics.registration_id)
    registrations = db.session.scalars(
        select(Registration).where(Registration.activity_id == activity.id,
                                   Registration.state == RegistrationState.CONFIRMED,
                                   Registration.id.not_in(done)).order_by(Registration.id)).all()
    for registration in registrations:
        services.save(registration, _input(registration.person, first_day, last_day), activity.trainers[0])
