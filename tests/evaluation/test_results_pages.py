"""Results pages and files: access, IDOR, escaped free text, formula-safe CSV and XLSX, small cells."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from elearn.extensions import db
from elearn.people.models import Gender, PersonKind, PoliticalSide
from tests import factories
from tests.evaluation import results_factories as rf
from tests.helpers import text
from tests.scheduling.factories import make_activity, make_programme

HYPERLINK = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def small_cells(app):
    """Ten responses: parliament A 7 (ratings 4), B 2 (ratings 2), C 1 (rating 1); women 3, men 7."""
    activity = make_activity(title="Budget oversight seminar")
    link = rf.attach(activity, rf.make_questionnaire())
    big, pair, lone = (factories.make_parliament(name_en=name) for name in ("Alpha House", "Beta House", "Gamma House"))
    for number in range(7):
        rf.respond(link, rating=4, parliament=big, gender=Gender.WOMAN if number == 0 else Gender.MAN)
    for number in range(2):
        rf.respond(link, rating=2, parliament=pair, gender=Gender.WOMAN if number == 0 else Gender.MAN,
                   text=HYPERLINK if number == 0 else "<script>alert(1)</script>")
    rf.respond(link, rating=1, parliament=lone, gender=Gender.WOMAN, text="Lonely remark")
    return activity


def url(activity, suffix=""):
    return f"/evaluation/results/activity/{activity.id}{suffix}"


@pytest.mark.parametrize("role, status", [("trainer", 200), ("admin", 200), ("learner", 403), ("focal_point", 403)])
def test_who_sees_results(login_as, small_cells, role, status):
    client = login_as(role)
    for path in (url(small_cells), url(small_cells, "/results.csv"), url(small_cells, "/results.xlsx"),
                 "/evaluation/results", "/evaluation/results/results.csv", "/evaluation/results/results.xlsx"):
        assert client.get(path).status_code == status, path


def test_signed_out_is_sent_to_login(client, small_cells):
    assert client.get(url(small_cells)).status_code == 302


def test_unknown_activity_is_404_and_one_without_questionnaire_says_so(login_as, small_cells):
    client = login_as("trainer")
    for suffix in ("", "/results.csv", "/results.xlsx"):
        assert client.get(f"/evaluation/results/activity/999999{suffix}").status_code == 404
    page = text(client.get(f"/evaluation/results/activity/{make_activity().id}"))
    assert "No questionnaire is attached" in page


def _row(rows, label):
    return next(row for row in rows if row and row[0] == label)


def _section(rows, title):
    start = next(i for i, row in enumerate(rows) if row == [title])
    end = next(i for i in range(start + 1, len(rows)) if not rows[i])
    return rows[start + 1:end]


def test_page_shows_figures_and_escapes_free_text(login_as, small_cells):
    page = text(login_as("trainer").get(url(small_cells)))
    assert "Budget oversight seminar" in page and "<svg" in page and "<title id=" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "Lonely remark" in page  # free text is not a breakdown: shown, without name or date
    assert "Alpha House" in page


def test_small_cells_hidden_in_page_csv_and_xlsx(login_as, small_cells):
    """Beta (2) and Gamma (1) are hidden; women (3) shows, so men (7) shows: nothing lets one subtract to a
    group of fewer than three."""
    client = login_as("trainer")
    rows = list(csv.reader(io.StringIO(client.get(url(small_cells, "/results.csv")).get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    parliaments = _section(rows, "By parliament")
    assert _row(parliaments, "Alpha House")[1:4] == ["7", "75.0", "4.0"]
    for name in ("Beta House", "Gamma House"):
        assert set(_row(parliaments, name)[1:]) == {"*"}
    # The total minus what shows gives Beta and Gamma together (3 people, mean 25/3), never one of them.
    total = _row(_section(rows, "Summary"), "Responses")
    assert total[1] == "10"
    genders = _section(rows, "By gender")
    assert _row(genders, "Woman")[1] == "3" and _row(genders, "Man")[1] == "7"
    workbook = load_workbook(io.BytesIO(client.get(url(small_cells, "/results.xlsx")).data))
    sheet = workbook["By parliament"]
    values = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(values["Beta House"]) == {"*"} and set(values["Gamma House"]) == {"*"}
    assert values["Alpha House"][0] == 7
    page = text(client.get(url(small_cells)))
    beta = page[page.index("Beta House"):page.index("</tr>", page.index("Beta House"))]
    assert "<td" in beta and all(cell.startswith("*") for cell in beta.split('class="num">')[1:])


def test_a_lone_small_cell_hides_a_second(login_as, app):
    """Women 2 and men 8: hiding only the women would leave them as the total minus the men."""
    activity = make_activity()
    link = rf.attach(activity, rf.make_questionnaire())
    for number in range(10):
        rf.respond(link, rating=5 if number < 2 else 3, gender=Gender.WOMAN if number < 2 else Gender.MAN)
    rows = list(csv.reader(io.StringIO(login_as("trainer").get(url(activity, "/results.csv"))
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    genders = _section(rows, "By gender")
    assert set(_row(genders, "Woman")[1:]) == {"*"} and set(_row(genders, "Man")[1:]) == {"*"}


def test_fewer_responses_than_the_minimum_show_no_answer(login_as, app):
    activity = make_activity()
    link = rf.attach(activity, rf.make_questionnaire())
    rf.respond(link, rating=1, text="Only me", gender=Gender.WOMAN)
    rf.respond(link, rating=5, gender=Gender.MAN)
    client = login_as("trainer")
    page = text(client.get(url(activity)))
    assert "Only me" not in page and "Fewer than 3 responses" in page
    body = client.get(url(activity, "/results.csv")).get_data(as_text=True)
    assert "Only me" not in body and "Woman" not in body


def test_free_text_formula_stays_text(login_as, small_cells):
    client = login_as("trainer")
    body = client.get(url(small_cells, "/results.csv")).get_data(as_text=True)
    assert "'=HYPERLINK" in body
    workbook = load_workbook(io.BytesIO(client.get(url(small_cells, "/results.xlsx")).data))
    cells = [c for row in workbook["Free text"].iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)


def test_side_only_for_a_past_programme_quarter(login_as, app):
    programme = make_programme()
    activity = make_activity(programme=programme)
    activity.starts_at = datetime(2025, 2, 10, 9, tzinfo=timezone.utc)
    db.session.commit()
    link = rf.attach(activity, rf.make_questionnaire())
    for number in range(12):
        rf.respond(link, rating=5 if number < 2 else 3, kind=PersonKind.MP,
                   side=PoliticalSide.OPPOSITION if number < 2 else PoliticalSide.RULING)
    client = login_as("trainer")
    page = text(client.get(url(activity)))
    assert "Political side is shown only for one programme" in page
    body = client.get(f"/evaluation/results/results.csv?programme_id={programme.id}&date_from=2025-01-01"
                      "&date_to=2025-03-31").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    sides = _section(rows, "Members of parliament by political side")
    assert set(_row(sides, "Opposition")[1:]) == {"*"} and set(_row(sides, "Ruling majority")[1:]) == {"*"}
    shifted = client.get(f"/evaluation/results/results.csv?programme_id={programme.id}&date_from=2025-01-02"
                         "&date_to=2025-03-31").get_data(as_text=True)
    assert "Opposition" not in shifted


def test_side_block_shows_rounded_counts(login_as, app):
    programme = make_programme()
    activity = make_activity(programme=programme)
    activity.starts_at = datetime(2025, 5, 10, 9, tzinfo=timezone.utc)
    db.session.commit()
    link = rf.attach(activity, rf.make_questionnaire())
    for number in range(13):
        rf.respond(link, rating=5 if number < 6 else 3, kind=PersonKind.MP,
                   side=PoliticalSide.OPPOSITION if number < 6 else PoliticalSide.RULING)
    body = login_as("trainer").get(f"/evaluation/results/results.csv?programme_id={programme.id}"
                                   "&date_from=2025-04-01&date_to=2025-06-30").get_data(as_text=True)
    sides = _section(list(csv.reader(io.StringIO(body.lstrip("\ufeff")))), "Members of parliament by political side")
    assert _row(sides, "Opposition")[1:3] == ["5", "100.0"] and _row(sides, "Ruling majority")[1] == "5"
