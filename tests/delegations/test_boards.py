"""The logistics boards' figures, on pages and in CSV and XLSX, and what they never show."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests.delegations.boards_fixture import EVIL_HOTEL, SECRETS, build_world
from tests.helpers import text

WINDOW = {"from": "2030-03-25", "to": "2030-04-05"}


@pytest.fixture
def world(app, people):
    return build_world()


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, text(response)[:500]
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_rooming_list_by_hotel_with_nights_and_payer(admin_client, world):
    rows = csv_rows(admin_client.get("/manage/logistics/rooming.csv", query_string=WINDOW))
    assert rows[0] == ["Hotel", "Participant", "Parliament", "Activity", "Check-in", "Check-out", "Nights",
                       "Stay paid by"]
    assert [row[:2] for row in rows[1:]] == [["'" + EVIL_HOTEL, "Aya Kone"], ["Hotel Lutetia", "Bakary Diallo"],
                                             ["Hotel Okura", "Hiro Sato"]]
    assert rows[1][4:] == ["2030-03-28", "2030-04-02", "5", "Ministry of foreign affairs"]
    assert rows[2][6:] == ["4", "Host parliament"]
    assert rows[3][2:4] == ["House of Councillors", "Tokyo seminar"]
    everything = "\n".join(",".join(row) for row in rows)
    assert "Waitlist Inn" not in everything and "Cancelled Inn" not in everything


def test_rooming_list_dates_overlap(admin_client, world):
    rows = csv_rows(admin_client.get("/manage/logistics/rooming.csv", query_string={"from": "2030-04-02",
                                                                                        "to": "2030-04-10"}))
    assert [row[1] for row in rows[1:]] == ["Aya Kone", "Hiro Sato"]  # Lutetia's guest left on the 1st


def test_arrivals_board_by_local_day(admin_client, world):
    rows = csv_rows(admin_client.get("/manage/logistics/arrivals.csv", query_string=WINDOW))
    assert [row[:5] for row in rows[1:]] == [
        ["2030-03-28", "Arrival", "08:10", "Europe/Paris", "Aya Kone"],
        ["2030-03-28", "Arrival", "08:50", "Europe/Paris", "Bakary Diallo"],
        ["2030-03-30", "Arrival", "05:00", "Asia/Tokyo", "Hiro Sato"],  # the 29th in UTC
        ["2030-03-31", "Arrival", "10:00", "Europe/Paris", "Chantal Yao"],  # summer time since 02:00
        ["2030-04-02", "Departure", "18:00", "Europe/Paris", "Aya Kone"]]
    assert rows[1][5:] == ["National Assembly of Côte d'Ivoire", "Paris working visit", "Flight", "AF703", "CDG"]
    assert rows[4][7:] == ["Train", "TGV 6201", "Gare de Lyon"]


def test_arrivals_day_is_the_activitys_own(admin_client, world):
    rows = csv_rows(admin_client.get("/manage/logistics/arrivals.csv",
                                     query_string={"from": "2030-03-29", "to": "2030-03-29"}))
    assert rows[1:] == []
    rows = csv_rows(admin_client.get("/manage/logistics/arrivals.csv",
                                     query_string={"from": "2030-03-30", "to": "2030-03-30",
                                                   "activity": world.tokyo.id}))
    assert [row[4] for row in rows[1:]] == ["Hiro Sato"]


def test_arrivals_page_groups_days_and_names_the_zone(admin_client, world):
    page = text(admin_client.get("/manage/logistics/arrivals", query_string=WINDOW))
    assert "Thursday, March 28, 2030" in page and "Sunday, March 31, 2030" in page
    assert page.index("Thursday, March 28, 2030") < page.index("Saturday, March 30, 2030")
    assert "Arrivals (2)" in page and "Departures (1)" in page
    # The wall clock where it happens, the zone named (babel puts a narrow space before AM).
    assert re.search(r'"2030-03-31T08:00:00\+00:00">10:00\W+AM</time> <span class="hint">Europe/Paris</span>', page)
    assert re.search(r'"2030-03-29T20:00:00\+00:00">5:00\W+AM</time> <span class="hint">Asia/Tokyo</span>', page)


def test_transport_manifest_groups_place_and_hour(admin_client, world):
    rows = csv_rows(admin_client.get("/manage/logistics/transport.csv", query_string=WINDOW))
    assert rows[0][:6] == ["Local date", "Hour", "Pick-up or drop-off", "Place", "Time zone", "Head count"]
    groups = [(row[0], row[1], row[2], row[3].strip().upper(), row[5], row[6]) for row in rows[1:]]
    assert groups == [
        ("2030-03-28", "08:00–09:00", "Pick-up", "CDG", "2", "Aya Kone"),
        ("2030-03-28", "08:00–09:00", "Pick-up", "CDG", "2", "Bakary Diallo"),
        ("2030-03-30", "05:00–06:00", "Pick-up", "HND", "1", "Hiro Sato"),
        ("2030-03-31", "10:00–11:00", "Pick-up", "GARE DE LYON", "1", "Chantal Yao"),
        ("2030-04-02", "18:00–19:00", "Drop-off", "ORY", "1", "Aya Kone")]
    page = text(admin_client.get("/manage/logistics/transport", query_string=WINDOW))
    assert page.count("<section class=\"board-group\"") == 4
    assert "2 people" in page and "Pick-up · CDG" in page


def test_per_diem_sheet_totals_per_currency(admin_client, world):
    rows = csv_rows(admin_client.get("/manage/logistics/per-diem.csv", query_string=WINDOW))
    assert rows[1:] == [
        ["Aya Kone", "National Assembly of Côte d'Ivoire", "Paris working visit", "100.00", "EUR", "5", "500.00"],
        ["Bakary Diallo", "National Assembly of Côte d'Ivoire", "Paris working visit", "80.50", "EUR", "4",
         "322.00"],
        ["Hiro Sato", "House of Councillors", "Tokyo seminar", "12000.00", "JPY", "3", "36000.00"],
        [],
        ["Total", "", "", "", "EUR", "", "822.00"],
        ["Total", "", "", "", "JPY", "", "36000.00"]]
    page = text(admin_client.get("/manage/logistics/per-diem", query_string=WINDOW))
    assert "Totals per currency" in page and "822.00" in page and "36,000.00" in page


def test_xlsx_is_formula_safe_and_keeps_numbers(admin_client, world):
    rows = xlsx_rows(admin_client.get("/manage/logistics/rooming.xlsx", query_string=WINDOW))
    assert rows[1][0] == "'" + EVIL_HOTEL
    assert rows[1][6] == 5
    rows = xlsx_rows(admin_client.get("/manage/logistics/per-diem.xlsx", query_string=WINDOW))
    assert float(rows[1][3]) == 100.0 and float(rows[1][6]) == 500.0
    assert rows[-1][4:] == ["JPY", None, 36000]


def test_french_reader_gets_french_headers_and_names(client, world, people):
    from tests.helpers import post_form, sign_in

    sign_in(client, people["admin"].email, "a-long-test-passphrase")
    post_form(client, "/language", {"language": "fr"})
    rows = csv_rows(client.get("/manage/logistics/rooming.csv", query_string=WINDOW))
    assert rows[0][0] == "Hôtel"
    assert rows[1][2] == "Assemblée nationale de Côte d'Ivoire"


BOARDS = ("rooming", "arrivals", "transport", "per-diem")


@pytest.mark.parametrize("board", BOARDS)
def test_sensitive_fields_never_on_a_board(admin_client, world, board):
    outputs = [text(admin_client.get(f"/manage/logistics/{board}", query_string=WINDOW)),
               admin_client.get(f"/manage/logistics/{board}.csv", query_string=WINDOW).get_data(as_text=True),
               "\n".join(str(row) for row in xlsx_rows(
                   admin_client.get(f"/manage/logistics/{board}.xlsx", query_string=WINDOW)))]
    for output in outputs:
        for secret in SECRETS:
            assert secret not in output


def test_no_board_statement_reads_a_sensitive_column(app):
    from datetime import date

    from elearn.delegations import boards
    from elearn.delegations.logistics_models import SENSITIVE_FIELDS

    filters = boards.BoardFilters(date_from=date(2030, 1, 1), date_to=date(2030, 2, 1))
    for statement in (boards.rooming_statement(filters), boards.arrivals_statement(filters),
                      boards.transport_statement(filters), boards.per_diem_statement(filters)):
        sql = str(statement.compile())
        for name in SENSITIVE_FIELDS:
            assert name not in sql


def test_purged_row_keeps_its_travel_and_stay(admin_client, world):
    page = text(admin_client.get("/manage/logistics/rooming", query_string=WINDOW))
    assert "Bakary Diallo" in page and "Hotel Lutetia" in page


def test_links_from_the_activity_overview_and_the_dashboard(admin_client, world):
    page = text(admin_client.get(f"/manage/activities/{world.paris.id}"))
    for board in BOARDS:
        assert f'href="/manage/logistics/{board}?activity={world.paris.id}"' in page
    assert 'href="/manage/logistics/arrivals"' in text(admin_client.get("/dashboard"))
