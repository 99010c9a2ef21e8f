"""Logistics services without HTTP: what is stored, what is refused (naming the field), what is audited."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.delegations import logistics as services
from elearn.delegations.logistics_models import Logistics, Payer, TravelMode
from elearn.delegations.sensitive import NotAllowed, may_manage, read_sensitive
from elearn.extensions import db
from elearn.scheduling.models import Registration, RegistrationState
from tests import factories
from tests.scheduling.factories import make_activity, one_session

# The activity runs 20 days ahead, 09:00–17:00 in Paris.
DAY = date.today() + timedelta(days=20)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def setting(app):
    trainer = factories.make_person(Role.TRAINER, email="own.trainer@example.org")
    activity = make_activity(sessions=one_session(days_ahead=20), trainer_ids=(trainer.id,))
    participant = factories.make_person(full_name="Awa Kouassi", parliament=factories.make_parliament())
    registration = Registration(activity=activity, person=participant, state=RegistrationState.CONFIRMED)
    db.session.add(registration)
    db.session.commit()
    return trainer, activity, registration


def full_input(**changes) -> services.LogisticsInput:
    data = services.LogisticsInput(
        travel_paid_by=Payer.PROGRAMME, stay_paid_by=Payer.HOST_PARLIAMENT,
        arrival_on=DAY - timedelta(days=1), arrival_time=time(15, 35), arrival_mode=TravelMode.FLIGHT,
        arrival_reference="AF 703", arrival_place="Paris-Charles de Gaulle",
        departure_on=DAY + timedelta(days=1), departure_time=time(23, 50), departure_mode=TravelMode.FLIGHT,
        departure_reference="AF 702", departure_place="Paris-Charles de Gaulle",
        hotel_name="Hôtel du Palais", hotel_address="12 rue de Bourgogne, Paris",
        check_in_on=DAY - timedelta(days=1), check_out_on=DAY + timedelta(days=1),
        per_diem_amount=Decimal("120.00"), per_diem_currency="eur", per_diem_days=3, visa_needed=True,
        dietary_needs="Vegetarian", passport_number="ci0012345", passport_country="ci",
        passport_expires_on=DAY + timedelta(days=400), birth_date=date(1975, 4, 2))
    return replace(data, **changes)


def test_saved_details_are_stored_in_utc_and_normalised(setting):
    trainer, activity, registration = setting

    logistics = services.save(registration, full_input(), trainer)

    # 15:35 in Paris the day before: UTC+1 or UTC+2 depending on the season.
    local = datetime.combine(DAY - timedelta(days=1), time(15, 35), activity.zone)
    assert logistics.arrival_at == local.astimezone(timezone.utc)
    assert (logistics.per_diem_currency, logistics.passport_country, logistics.passport_number) == (
        "EUR", "CI", "CI0012345")
    assert logistics.updated_by_id == trainer.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.LOGISTICS_CHANGED))
    assert event.object_id == logistics.id and event.actor_id == trainer.id
    assert "passport_number" in event.details["sensitive"] and "CI0012345" not in str(event.details)


def test_a_second_save_changes_the_same_row_and_audits_only_what_changed(setting):
    trainer, _activity, registration = setting
    services.save(registration, full_input(), trainer)

    services.save(registration, full_input(hotel_name="Hôtel Lutetia"), trainer)

    assert _count(Logistics) == 1
    latest = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.LOGISTICS_CHANGED)
                                .order_by(AuditEvent.id.desc())).first()
    assert latest.details["fields"] == ["hotel_name"] and latest.details["sensitive"] == []


REFUSALS = [
    ({"arrival_on": DAY + timedelta(days=2)}, "departure_on", "The departure must come after the arrival."),
    ({"arrival_on": DAY - timedelta(days=3), "departure_on": DAY - timedelta(days=2)}, "departure_on",
     "The departure cannot be before the activity starts."),
    ({"per_diem_currency": "FRF"}, "per_diem_currency", "is not a currency in use"),
    ({"per_diem_currency": "ZZZ"}, "per_diem_currency", "ISO 4217"),
    ({"per_diem_currency": ""}, "per_diem_currency", "Give the currency of the per-diem."),
    ({"per_diem_days": -1}, "per_diem_days", "The number of per-diem days cannot be negative."),
    ({"per_diem_amount": Decimal("-5")}, "per_diem_amount", "The per-diem cannot be negative."),
    ({"check_out_on": DAY - timedelta(days=1)}, "check_out_on", "The check-out must be after the check-in."),
    ({"passport_expires_on": DAY - timedelta(days=1)}, "passport_expires_on",
     "The passport expires before the activity ends."),
    ({"passport_country": "XX"}, "passport_country", "is not a known country code"),
    ({"passport_country": "ZZ"}, "passport_country", "is not a known country code"),
    ({"birth_date": date.today() + timedelta(days=1)}, "birth_date", "The date of birth must be in the past."),
    ({"arrival_time": None}, "arrival_time", "Give the time as well as the date."),
    ({"per_diem_amount": Decimal("NaN")}, "per_diem_amount", "Give an amount below"),
    ({"per_diem_amount": Decimal("100000000")}, "per_diem_amount", "Give an amount below"),
    ({"per_diem_days": 400}, "per_diem_days", "At most 366 days."),
    ({"passport_number": "X" * 41}, "passport_number", "At most 40 characters."),
    ({"departure_on": None}, "departure_on", "Give the date as well as the time."),
]


@pytest.mark.parametrize("changes, field, message", REFUSALS)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(setting, changes, field, message):
    trainer, _activity, registration = setting

    with pytest.raises(services.LogisticsError) as refused:
        services.save(registration, full_input(**changes), trainer)

    assert refused.value.field == field and message in str(refused.value)
    db.session.rollback()
    assert _count(Logistics) == 0 and _count(AuditEvent) == 0


def test_a_refused_change_leaves_the_saved_row_as_it_was(setting):
    trainer, _activity, registration = setting
    services.save(registration, full_input(), trainer)

    with pytest.raises(services.LogisticsError):
        services.save(registration, full_input(hotel_name="Elsewhere", per_diem_days=-2), trainer)

    db.session.rollback()
    assert db.session.scalar(select(Logistics.hotel_name)) == "Hôtel du Palais"


@pytest.mark.parametrize("state", [RegistrationState.REQUESTED, RegistrationState.WAITLISTED,
                                   RegistrationState.WITHDRAWN])
def test_only_a_confirmed_registration_takes_logistics(setting, state):
    trainer, _activity, registration = setting
    registration.state = state
    registration.waitlist_position = 1 if state == RegistrationState.WAITLISTED else None
    db.session.commit()

    with pytest.raises(services.LogisticsError, match="confirmed participants only") as refused:
        services.save(registration, full_input(), trainer)

    assert refused.value.field is None
    assert _count(Logistics) == 0


def test_a_time_the_clocks_skip_is_refused(app):
    trainer = factories.make_person(Role.TRAINER)
    # Paris, last Sunday of March: 02:00 jumps to 03:00.
    year = date.today().year + 1
    change_day = max(date(year, 3, d) for d in range(25, 32) if date(year, 3, d).weekday() == 6)
    days_ahead = (change_day - date.today()).days + 1
    activity = make_activity(sessions=one_session(days_ahead=days_ahead), trainer_ids=(trainer.id,))
    participant = factories.make_person()
    registration = Registration(activity=activity, person=participant, state=RegistrationState.CONFIRMED)
    db.session.add(registration)
    db.session.commit()

    with pytest.raises(services.LogisticsError) as refused:
        services.save(registration, services.LogisticsInput(arrival_on=change_day, arrival_time=time(2, 30)), trainer)

    assert refused.value.field == "arrival_time" and "does not exist" in str(refused.value)


def test_only_the_activitys_trainers_and_administrators_may_manage(setting):
    trainer, activity, registration = setting
    other_trainer = factories.make_person(Role.TRAINER)
    admin = factories.make_person(Role.ADMIN)
    focal = factories.make_person(Role.FOCAL_POINT, parliament=registration.person.parliament)

    assert may_manage(trainer, activity) and may_manage(admin, activity)
    assert not may_manage(other_trainer, activity)
    assert not may_manage(focal, activity)
    assert not may_manage(registration.person, activity)


def test_reading_sensitive_details_is_audited_and_refused_to_others(setting):
    trainer, activity, registration = setting
    logistics = services.save(registration, full_input(), trainer)
    before = _count(AuditEvent, AuditEvent.action == AuditAction.SENSITIVE_LOGISTICS_READ)

    details = read_sensitive(logistics, trainer, activity)
    db.session.commit()

    assert details.passport_number == "CI0012345" and details.dietary_needs == "Vegetarian"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.SENSITIVE_LOGISTICS_READ))
    assert before == 0 and event.actor_id == trainer.id and event.object_id == logistics.id
    assert "passport_number" in event.details["fields"]
    with pytest.raises(NotAllowed):
        read_sensitive(logistics, factories.make_person(Role.TRAINER), activity)


def test_a_row_without_sensitive_details_is_read_without_an_audit_row(setting):
    trainer, activity, registration = setting
    logistics = services.save(registration, services.LogisticsInput(hotel_name="Hôtel du Palais"), trainer)

    assert read_sensitive(logistics, trainer, activity).is_empty
    assert _count(AuditEvent, AuditEvent.action == AuditAction.SENSITIVE_LOGISTICS_READ) == 0


def test_the_list_says_whose_travel_and_stay_are_filled_in(setting):
    trainer, activity, registration = setting
    last, waiting_person = factories.make_person(full_name="Zoé Last"), factories.make_person(full_name="Bob Waiting")
    other = Registration(activity=activity, person=last, state=RegistrationState.CONFIRMED)
    waiting = Registration(activity=activity, person=waiting_person, state=RegistrationState.REQUESTED)
    db.session.add_all([other, waiting])
    db.session.commit()
    services.save(registration, full_input(), trainer)

    listed = db.session.scalars(services.participants_statement(activity)).all()
    rows = services.logistics_by_registration([r.id for r in listed])

    assert [r.person.full_name for r in listed] == ["Awa Kouassi", "Zoé Last"]
    assert services.travel_filled(rows.get(registration.id)) and services.stay_filled(rows.get(registration.id))
    assert not services.travel_filled(rows.get(other.id)) and not services.stay_filled(rows.get(other.id))


def test_two_first_saves_at_once_end_as_one_row(setting, monkeypatch):
    trainer, _activity, registration = setting
    services.save(registration, full_input(hotel_name="First"), trainer)
    # The second trainer's request looked before the first one's row existed.
    real, calls = services.logistics_of, []

    def stale_once(found_for):
        calls.append(found_for)
        return None if len(calls) == 1 else real(found_for)

    monkeypatch.setattr(services, "logistics_of", stale_once)

    services.save(registration, full_input(hotel_name="Second"), trainer)

    assert _count(Logistics) == 1 and db.session.scalar(select(Logistics.hotel_name)) == "Second"
