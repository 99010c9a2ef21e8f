"""The trainer's logistics pages: what they show, what they refuse, who may open them (IDOR), and that no general
export carries a passport number."""
from __future__ import annotations

import io
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.delegations import logistics as services
from elearn.delegations.logistics_models import Logistics, Payer
from elearn.delegations.purge import purge_sensitive
from elearn.extensions import db
from elearn.scheduling.models import Registration, RegistrationState
from tests import factories
from tests.helpers import csrf_token, sign_in, text
from tests.scheduling.factories import make_activity, one_session

PASSPORT = "CI7770001"
DAY = date.today() + timedelta(days=20)


def _audits(action: AuditAction) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def _register(activity, person, state=RegistrationState.CONFIRMED) -> Registration:
    registration = Registration(activity=activity, person=person, state=state)
    db.session.add(registration)
    db.session.commit()
    return registration


@pytest.fixture
def visit(app, people):
    """An activity trained by people["trainer"], with one confirmed participant whose passport is recorded."""
    activity = make_activity(sessions=one_session(days_ahead=20), trainer_ids=(people["trainer"].id,))
    participant = factories.make_person(full_name="Awa Kouassi", parliament=people["learner"].parliament)
    registration = _register(activity, participant)
    services.save(registration, services.LogisticsInput(
        travel_paid_by=Payer.PROGRAMME, arrival_on=DAY - timedelta(days=1), arrival_time=time(15, 35),
        departure_on=DAY + timedelta(days=1), departure_time=time(23, 50), hotel_name="Hôtel du Palais",
        passport_number=PASSPORT, passport_country="CI", dietary_needs="Halal"), people["trainer"])
    return activity, registration


def _url(activity, registration=None) -> str:
    if registration is None:
        return f"/manage/activities/{activity.id}/logistics"
    return f"/manage/activities/{activity.id}/logistics/{registration.id}"


def _form(client, url: str, **changes) -> dict:
    data = {"csrf_token": csrf_token(client, url), "travel_paid_by": "programme", "stay_paid_by": "host_parliament",
            "arrival_on": (DAY - timedelta(days=1)).isoformat(), "arrival_time": "15:35", "arrival_mode": "flight",
            "arrival_reference": "AF 703", "departure_on": (DAY + timedelta(days=1)).isoformat(),
            "departure_time": "23:50", "departure_mode": "flight", "hotel_name": "Hôtel du Palais",
            "check_in_on": (DAY - timedelta(days=1)).isoformat(), "check_out_on": (DAY + timedelta(days=1)).isoformat(),
            "per_diem_amount": "120", "per_diem_currency": "EUR", "per_diem_days": "3",
            "passport_number": PASSPORT, "passport_country": "CI"}
    data.update(changes)
    return data


def test_the_list_shows_confirmed_participants_and_what_is_filled_in(login_as, visit, people):
    activity, registration = visit
    _register(activity, factories.make_person(full_name="Yao N'Guessan"))
    _register(activity, factories.make_person(full_name="Not Confirmed"), RegistrationState.REQUESTED)

    page = text(login_as("trainer").get(_url(activity)))

    assert "Awa Kouassi" in page and "Yao N&#39;Guessan" in page and "Not Confirmed" not in page
    assert "filled in" in page and "missing" in page and "Europe/Paris" in page
    assert PASSPORT not in page and "Halal" not in page
    assert _audits(AuditAction.SENSITIVE_LOGISTICS_READ) == 0  # the list shows nothing sensitive


def test_the_list_is_paginated(make_app, people):
    app = make_app(ROSTER_PAGE_SIZE=2)
    with app.app_context():
        trainer = factories.make_person(Role.TRAINER, email="paged@example.org")
        activity = make_activity(trainer_ids=(trainer.id,))
        for n in range(5):
            _register(activity, factories.make_person(full_name=f"Participant {n}"))
        client = app.test_client()
        sign_in(client, "paged@example.org", factories.PASSWORD)
        first, last = text(client.get(_url(activity))), text(client.get(_url(activity) + "?page=3"))
    assert "Participant 0" in first and "Participant 2" not in first and "Page 1 of 3" in first
    assert "Participant 4" in last


def test_opening_the_form_shows_and_audits_the_sensitive_details(login_as, visit, people):
    activity, registration = visit

    page = text(login_as("trainer").get(_url(activity, registration)))

    assert PASSPORT in page and "Halal" in page and "Local time in Europe/Paris" in page
    assert 'value="15:35"' in page  # the arrival in the activity's clock, not UTC
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.SENSITIVE_LOGISTICS_READ))
    assert event.actor_id == people["trainer"].id and event.details["registration_id"] == registration.id


def test_an_administrator_may_read_and_is_audited_too(admin_client, visit, people):
    activity, registration = visit

    assert PASSPORT in text(admin_client.get(_url(activity, registration)))
    assert db.session.scalar(select(AuditEvent.actor_id).where(
        AuditEvent.action == AuditAction.SENSITIVE_LOGISTICS_READ)) == people["admin"].id


def test_saving_the_form_stores_and_audits(login_as, visit, people):
    activity, registration = visit
    client = login_as("trainer")
    url = _url(activity, registration)

    response = client.post(url, data=_form(client, url, hotel_name="Hôtel Lutetia", dietary_needs="Vegetarian",
                                           per_diem_amount="95,50"))

    assert response.status_code == 302 and response.headers["Location"].endswith(_url(activity))
    logistics = db.session.scalar(select(Logistics))
    assert (logistics.hotel_name, logistics.dietary_needs, logistics.per_diem_currency) == (
        "Hôtel Lutetia", "Vegetarian", "EUR")
    assert logistics.per_diem_amount == Decimal("95.50")  # typed with a decimal comma
    latest = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.LOGISTICS_CHANGED)
                                .order_by(AuditEvent.id.desc())).first()
    assert latest.actor_id == people["trainer"].id and "hotel_name" in latest.details["fields"]


@pytest.mark.parametrize("changes, label, message", [
    ({"arrival_on": (DAY + timedelta(days=2)).isoformat()}, "Departure date",
     "The departure must come after the arrival."),
    ({"per_diem_currency": "ABC"}, "Per-diem currency", "is not a currency in use"),
    ({"per_diem_days": "-2"}, "Per-diem days", "cannot be negative"),
    ({"check_out_on": (DAY - timedelta(days=1)).isoformat()}, "Check-out", "must be after the check-in"),
    ({"passport_country": "QQ"}, "Passport issued by (country code)", "is not a known country code"),
])
def test_bad_input_is_shown_under_its_field_and_nothing_is_saved(login_as, visit, changes, label, message):
    activity, registration = visit
    client = login_as("trainer")
    url = _url(activity, registration)
    before = _audits(AuditAction.LOGISTICS_CHANGED)

    page = text(client.post(url, data=_form(client, url, hotel_name="Changed", **changes)))

    assert f"{label}: " in page and message in page  # in the summary, named by its field
    assert db.session.scalar(select(Logistics.hotel_name)) == "Hôtel du Palais"
    assert _audits(AuditAction.LOGISTICS_CHANGED) == before


def test_a_registration_that_is_not_confirmed_is_refused(login_as, visit):
    activity, _registration = visit
    waiting = _register(activity, factories.make_person(full_name="Bob Waiting"), RegistrationState.REQUESTED)
    client = login_as("trainer")
    url = _url(activity, waiting)

    page = text(client.post(url, data=_form(client, url)))

    assert "confirmed participants only" in page
    assert db.session.scalar(select(func.count(Logistics.id)).where(Logistics.registration_id == waiting.id)) == 0


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_learners_and_focal_points_are_refused(login_as, visit, role):
    activity, registration = visit
    client = login_as(role)

    assert client.get(_url(activity)).status_code == 403
    assert client.get(_url(activity, registration)).status_code == 403
    assert client.post(_url(activity, registration), data=_form(client, "/account/forgot")).status_code == 403
    assert _audits(AuditAction.SENSITIVE_LOGISTICS_READ) == 0


def test_another_trainer_is_refused(app, visit):
    activity, registration = visit
    factories.make_person(Role.TRAINER, email="other.trainer@example.org")
    client = app.test_client()
    sign_in(client, "other.trainer@example.org", factories.PASSWORD)

    assert client.get(_url(activity)).status_code == 403
    assert client.get(_url(activity, registration)).status_code == 403
    response = client.post(_url(activity, registration), data=_form(client, "/account/forgot", hotel_name="X"))
    assert response.status_code == 403
    assert db.session.scalar(select(Logistics.hotel_name)) == "Hôtel du Palais"
    assert _audits(AuditAction.SENSITIVE_LOGISTICS_READ) == 0


def test_another_activitys_registration_is_not_found_through_ones_own_activity(login_as, visit, people):
    activity, _registration = visit
    elsewhere = make_activity()  # not trained by people["trainer"]
    foreign = _register(elsewhere, factories.make_person(full_name="Foreign Participant"))
    client = login_as("trainer")

    assert client.get(_url(activity, foreign)).status_code == 404
    assert client.post(_url(activity, foreign), data=_form(client, "/account/forgot")).status_code == 404
    assert client.get(_url(elsewhere, foreign)).status_code == 403
    assert db.session.scalar(select(func.count(Logistics.id)).where(Logistics.registration_id == foreign.id)) == 0


def test_a_focal_point_cannot_reach_another_parliaments_participant(app, visit):
    activity, registration = visit
    factories.make_person(Role.FOCAL_POINT, email="distant.focal@example.org",
                          parliament=factories.make_parliament(name_en="Distant Parliament", country_code="DP"))
    client = app.test_client()
    sign_in(client, "distant.focal@example.org", factories.PASSWORD)

    assert client.get(_url(activity, registration)).status_code == 403
    assert PASSPORT not in text(client.get(_url(activity, registration)))


def test_after_the_purge_the_form_says_so(login_as, visit):
    activity, registration = visit
    purge_sensitive(days=0, now=activity.ends_at + timedelta(days=1))

    page = text(login_as("trainer").get(_url(activity, registration)))

    assert "were purged on" in page and PASSPORT not in page and 'name="passport_number"' not in page
    assert _audits(AuditAction.SENSITIVE_LOGISTICS_READ) == 0


def _csv_and_xlsx_text(client, base: str) -> str:
    csv_text = client.get(base + ".csv").get_data(as_text=True)
    workbook = load_workbook(io.BytesIO(client.get(base + ".xlsx").get_data()), read_only=True)
    cells = [str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
             for value in row if value is not None]
    return csv_text + "\n".join(cells)


def test_no_general_export_carries_a_passport_number_or_needs(admin_client, visit):
    activity, registration = visit

    roster = _csv_and_xlsx_text(admin_client, f"/manage/activities/{activity.id}/participants")
    report = _csv_and_xlsx_text(admin_client, "/reports/participation")
    audit_log = text(admin_client.get("/admin/audit"))

    assert "Awa Kouassi" in roster  # the export is the real one, with the participant in it
    for exported in (roster, report, audit_log):
        assert PASSPORT not in exported and "Halal" not in exported
