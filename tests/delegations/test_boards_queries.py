"""A board reads a fixed number of statements, however many participants it lists."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from elearn.access import Role
from elearn.delegations.logistics_models import Payer, TravelMode
from tests import factories
from tests.delegations.boards_fixture import days, register
from tests.helpers import count_queries, text
from tests.scheduling.factories import make_activity

WINDOW = {"from": "2030-03-25", "to": "2030-04-05"}
BOARDS = ("rooming", "arrivals", "transport", "per-diem")


def add_participants(activity, parliaments, count: int, start: int) -> None:
    for number in range(start, start + count):
        person = factories.make_person(full_name=f"Participant {number:03d}",
                                       parliament=parliaments[number % len(parliaments)])
        register(activity, person, hotel_name=f"Hotel {number % 3}", check_in_on=date(2030, 3, 28),
                 check_out_on=date(2030, 4, 2), stay_paid_by=Payer.MINISTRY,
                 arrival_at=datetime(2030, 3, 28, 6 + number % 5, tzinfo=timezone.utc),
                 arrival_mode=TravelMode.FLIGHT, arrival_reference=f"AF{number}", arrival_place="CDG",
                 departure_at=datetime(2030, 4, 2, 15, tzinfo=timezone.utc), departure_place="ORY",
                 per_diem_amount=Decimal("75.00"), per_diem_currency=("EUR", "XOF")[number % 2], per_diem_days=5)


def statements(client, path: str) -> int:
    with count_queries() as counter:
        response = client.get(path, query_string=WINDOW)
        assert response.status_code == 200
        response.get_data()  # a streamed export runs its statements as it is read
    return counter.count


@pytest.mark.parametrize("suffix", ["", ".csv", ".xlsx"])
def test_constant_statements_for_10_and_50_participants(app, admin_client, suffix):
    activity = make_activity(title="Big visit", timezone="Europe/Paris", sessions=days(date(2030, 3, 29)))
    parliaments = [factories.make_parliament() for _ in range(4)]
    add_participants(activity, parliaments, 10, 0)
    few = {board: statements(admin_client, f"/manage/logistics/{board}{suffix}") for board in BOARDS}
    add_participants(activity, parliaments, 40, 10)
    many = {board: statements(admin_client, f"/manage/logistics/{board}{suffix}") for board in BOARDS}
    assert few == many
    page = text(admin_client.get("/manage/logistics/rooming", query_string=WINDOW))
    assert page.count("<td>Participant ") == 50


def test_pages_are_paginated(make_app):
    app = make_app(ROSTER_PAGE_SIZE=20)
    with app.app_context():
        admin = factories.make_person(Role.ADMIN, email="boss@example.org")
        activity = make_activity(title="Big visit", timezone="Europe/Paris", sessions=days(date(2030, 3, 29)))
        add_participants(activity, [factories.make_parliament()], 45, 0)
        client = app.test_client()
        from tests.helpers import sign_in

        sign_in(client, admin.email, factories.PASSWORD)
        first = text(client.get("/manage/logistics/rooming", query_string=WINDOW))
        assert first.count("<td>Participant ") == 20
        assert "Page 1 of 3, 45 in all" in first
        last = text(client.get("/manage/logistics/rooming", query_string={**WINDOW, "page": 3}))
        assert last.count("<td>Participant ") == 5
        assert "from=2030-03-25" in last and 'rel="prev"' in last
        # A day that runs over two pages still says how many arrive that day in all.
        arrivals = text(client.get("/manage/logistics/arrivals", query_string=WINDOW))
        assert "Arrivals (45)" in arrivals and arrivals.count("<td>Participant ") == 20
