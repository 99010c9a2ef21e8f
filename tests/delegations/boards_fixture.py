"""A small world for the logistics boards: two activities in two zones, their participants' travel and stay."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from elearn.access import Role
from elearn.database import utcnow
from elearn.delegations.logistics_models import Logistics, Payer, TravelMode
from elearn.extensions import db
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, Registration, RegistrationState
from tests import factories
from tests.scheduling.factories import make_activity

PARIS, TOKYO = ZoneInfo("Europe/Paris"), ZoneInfo("Asia/Tokyo")
EVIL_HOTEL = '=HYPERLINK("http://evil.example/","Hotel")'
SECRETS = ("PASS-SECRET-1", "SECRET-DIET", "SECRET-ACCESS", "1961-07-14")


def local(zone: ZoneInfo, year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(timezone.utc)


def days(*dates: date):
    return tuple(services.SessionInput(start_date=d, start_time=time(9), end_time=time(17)) for d in dates)


@dataclass
class World:
    paris: object
    tokyo: object
    paris_trainer: object
    tokyo_trainer: object
    people: dict


def register(activity, person, state=RegistrationState.CONFIRMED, **logistics) -> Logistics:
    registration = Registration(activity=activity, person=person, state=state)
    row = Logistics(registration=registration, **logistics)
    db.session.add_all([registration, row])
    db.session.commit()
    return row


def build_world() -> World:
    paris_trainer = factories.make_person(Role.TRAINER, email="paris-trainer@example.org", full_name="Paris Trainer")
    tokyo_trainer = factories.make_person(Role.TRAINER, email="tokyo-trainer@example.org", full_name="Tokyo Trainer")
    # The Paris visit straddles the night the clocks go forward (31 March 2030).
    paris = make_activity(title="Paris working visit", timezone="Europe/Paris",
                          sessions=days(date(2030, 3, 29), date(2030, 4, 1)), trainer_ids=(paris_trainer.id,))
    tokyo = make_activity(title="Tokyo seminar", timezone="Asia/Tokyo", sessions=days(date(2030, 3, 30)),
                          trainer_ids=(tokyo_trainer.id,))
    cancelled = make_activity(title="Cancelled visit", timezone="Europe/Paris", sessions=days(date(2030, 3, 29)),
                              status=ActivityStatus.CANCELLED)
    ivory = factories.make_parliament(name_en="National Assembly of Côte d'Ivoire",
                                      name_fr="Assemblée nationale de Côte d'Ivoire", country_code="CI")
    japan = factories.make_parliament(name_en="House of Councillors", name_fr="Chambre des conseillers",
                                      country_code="JP")
    people = {name: factories.make_person(full_name=name, parliament=parliament) for name, parliament in (
        ("Aya Kone", ivory), ("Bakary Diallo", ivory), ("Chantal Yao", ivory), ("Waiting Person", ivory),
        ("Cancelled Person", ivory), ("Hiro Sato", japan))}
    register(paris, people["Aya Kone"], hotel_name=EVIL_HOTEL, check_in_on=date(2030, 3, 28),
             check_out_on=date(2030, 4, 2), stay_paid_by=Payer.MINISTRY, travel_paid_by=Payer.MINISTRY,
             arrival_at=local(PARIS, 2030, 3, 28, 8, 10), arrival_mode=TravelMode.FLIGHT,
             arrival_reference="AF703", arrival_place="CDG",
             departure_at=local(PARIS, 2030, 4, 2, 18), departure_mode=TravelMode.FLIGHT,
             departure_reference="AF702", departure_place="ORY",
             per_diem_amount=Decimal("100.00"), per_diem_currency="EUR", per_diem_days=5,
             passport_number="PASS-SECRET-1", dietary_needs="SECRET-DIET", accessibility_needs="SECRET-ACCESS",
             birth_date=date(1961, 7, 14), visa_needed=True)
    # Purged already: the sensitive fields are empty, the travel and stay stay on the boards.
    register(paris, people["Bakary Diallo"], hotel_name="Hotel Lutetia", check_in_on=date(2030, 3, 28),
             check_out_on=date(2030, 4, 1), stay_paid_by=Payer.HOST_PARLIAMENT,
             arrival_at=local(PARIS, 2030, 3, 28, 8, 50), arrival_mode=TravelMode.FLIGHT,
             arrival_reference="HF500", arrival_place="cdg ",
             per_diem_amount=Decimal("80.50"), per_diem_currency="EUR", per_diem_days=4,
             sensitive_purged_at=utcnow())
    # After the clocks went forward: 10:00 in Paris is 08:00 UTC.
    register(paris, people["Chantal Yao"], arrival_at=local(PARIS, 2030, 3, 31, 10), arrival_mode=TravelMode.TRAIN,
             arrival_reference="TGV 6201", arrival_place="Gare de Lyon")
    register(paris, people["Waiting Person"], RegistrationState.REQUESTED, hotel_name="Waitlist Inn",
             check_in_on=date(2030, 3, 28), check_out_on=date(2030, 3, 30),
             arrival_at=local(PARIS, 2030, 3, 28, 8, 30), arrival_place="CDG",
             per_diem_amount=Decimal("1.00"), per_diem_currency="EUR", per_diem_days=1)
    register(cancelled, people["Cancelled Person"], hotel_name="Cancelled Inn", check_in_on=date(2030, 3, 28),
             check_out_on=date(2030, 3, 30), arrival_at=local(PARIS, 2030, 3, 28, 8, 20), arrival_place="CDG",
             per_diem_amount=Decimal("1.00"), per_diem_currency="EUR", per_diem_days=1)
    # 20:00 UTC on the 29th is 05:00 on the 30th in Tokyo: the board's day is Tokyo's.
    register(tokyo, people["Hiro Sato"], hotel_name="Hotel Okura", check_in_on=date(2030, 3, 30),
             check_out_on=date(2030, 4, 2), stay_paid_by=Payer.PROGRAMME,
             arrival_at=datetime(2030, 3, 29, 20, 0, tzinfo=timezone.utc), arrival_mode=TravelMode.FLIGHT,
             arrival_reference="NH216", arrival_place="HND",
             per_diem_amount=Decimal("12000"), per_diem_currency="JPY", per_diem_days=3)
    return World(paris, tokyo, paris_trainer, tokyo_trainer, people)
