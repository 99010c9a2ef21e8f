"""Cost pages over HTTP: who may see them, other activities' lines, bad input, the exports, the links."""
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from elearn.access import Role
from elearn.delegations.costs_models import CostLine
from elearn.delegations.logistics_models import Logistics
from elearn.extensions import db
from elearn.scheduling.models import Registration, RegistrationState
from tests import factories
from tests.delegations.costs_fixtures import line, two_programmes
from tests.helpers import post_form, sign_in, text
from tests.scheduling.factories import make_activity

FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def own(app, people):
    """An activity of the signed-in trainer's, with one line."""
    activity = make_activity(trainer_ids=(people["trainer"].id,))
    return activity, line(activity, "venue", "host_parliament", "1250.5", "EUR", "", "Room hire")


@pytest.fixture
def other_trainer_client(app):
    factories.make_person(Role.TRAINER, email="other-trainer@example.org")
    client = app.test_client()
    assert sign_in(client, "other-trainer@example.org", factories.PASSWORD).status_code == 302
    return client


def _urls(activity_id, line_id):
    base = f"/manage/activities/{activity_id}/costs"
    return [base, f"{base}/new", f"{base}/{line_id}/edit", f"{base}/{line_id}/delete"]


def test_the_activitys_trainer_sees_its_lines_and_totals(login_as, own):
    activity, saved = own
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}/costs"))
    assert "Room hire" in page and "€1,250.50" in page
    assert "never converted" in page  # the page says totals are per currency
    assert "not known yet" in page
    assert f"/manage/activities/{activity.id}/costs/{saved.id}/edit" in page


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_other_roles_are_refused(login_as, own, role):
    activity, saved = own
    client = login_as(role)
    for url in _urls(activity.id, saved.id):
        assert client.get(url).status_code == 403, url
    assert post_form(client, f"/manage/activities/{activity.id}/costs/{saved.id}/delete").status_code == 403
    data = {"category": "travel", "payer": "ministry", "planned_amount": "1", "currency": "EUR"}
    assert post_form(client, f"/manage/activities/{activity.id}/costs/new", data).status_code == 403
    assert post_form(client, f"/manage/activities/{activity.id}/costs/{saved.id}/edit", data).status_code == 403
    for url in ("/manage/costs", "/manage/costs.csv", "/manage/costs.xlsx"):
        assert client.get(url).status_code == 403, url
    assert db.session.scalar(select(func.count(CostLine.id))) == 1


def test_anonymous_is_sent_to_sign_in(client, own):
    activity, saved = own
    for url in [*_urls(activity.id, saved.id), "/manage/costs"]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"], url


def test_a_trainer_of_another_activity_is_refused(other_trainer_client, own):
    activity, saved = own
    for url in _urls(activity.id, saved.id):
        assert other_trainer_client.get(url).status_code == 403, url
    response = post_form(other_trainer_client, f"/manage/activities/{activity.id}/costs/{saved.id}/edit",
                         {"category": "venue", "payer": "self", "planned_amount": "1", "currency": "EUR"})
    assert response.status_code == 403
    assert post_form(other_trainer_client, f"/manage/activities/{activity.id}/costs/{saved.id}/delete").status_code == 403
    assert db.session.get(CostLine, saved.id).planned_amount == Decimal("1250.50")


def test_another_activitys_line_is_not_found_through_ones_own_activity(login_as, people, own):
    activity, _saved = own
    elsewhere = make_activity()
    foreign = line(elsewhere, "travel", "self", "99", "EUR")
    client = login_as("trainer")
    for url in _urls(activity.id, foreign.id)[2:]:
        assert client.get(url).status_code == 404, url
    response = post_form(client, f"/manage/activities/{activity.id}/costs/{foreign.id}/edit",
                         {"category": "venue", "payer": "self", "planned_amount": "1", "currency": "EUR"})
    assert response.status_code == 404
    assert post_form(client, f"/manage/activities/{activity.id}/costs/{foreign.id}/delete").status_code == 404
    assert db.session.get(CostLine, foreign.id).planned_amount == Decimal("99.00")


def test_an_admin_manages_any_activitys_costs(admin_client, own):
    activity, saved = own
    assert admin_client.get(f"/manage/activities/{activity.id}/costs").status_code == 200


def test_add_edit_and_delete_through_the_pages(login_as, own):
    activity, saved = own
    client = login_as("trainer")
    base = f"/manage/activities/{activity.id}/costs"
    response = post_form(client, f"{base}/new", {"category": "interpretation", "payer": "ministry",
                                                 "planned_amount": "3 000,00", "currency": "xof",
                                                 "description": "Booths"}, token_from=f"{base}/new")
    assert response.status_code == 302
    added = db.session.scalar(select(CostLine).where(CostLine.description == "Booths"))
    assert (added.planned_amount, added.currency) == (Decimal("3000.00"), "XOF")
    response = post_form(client, f"{base}/{saved.id}/edit", {"category": "venue", "payer": "host_parliament",
                                                            "planned_amount": "1250.50", "actual_amount": "1300",
                                                            "currency": "EUR", "description": "Room hire"},
                         token_from=f"{base}/{saved.id}/edit")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CostLine, saved.id).actual_amount == Decimal("1300.00")
    confirm = text(client.get(f"{base}/{saved.id}/delete"))
    assert "Delete this cost line?" in confirm and 'method="post"' in confirm
    assert client.post(f"{base}/{saved.id}/delete").status_code == 400  # no CSRF token: nothing deleted
    assert db.session.get(CostLine, saved.id) is not None
    line_id = saved.id
    assert post_form(client, f"{base}/{line_id}/delete", token_from=f"{base}/{line_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(CostLine, line_id) is None


@pytest.mark.parametrize("changes, label, message", [
    ({"currency": "EURO"}, "Currency", "is not a currency in use"),
    ({"planned_amount": "-5"}, "Planned amount", "cannot be negative"),
    ({"planned_amount": "lots"}, "Planned amount", "is not a number"),
    ({"actual_amount": "-1"}, "Actual amount", "cannot be negative"),
    ({"category": "catering"}, "Category", "Choose one of the values offered"),
    ({"payer": "nobody"}, "Paid by", "Choose one of the values offered"),
])
def test_bad_input_on_the_form_names_the_field_and_saves_nothing(login_as, own, changes, label, message):
    activity, saved = own
    client = login_as("trainer")
    url = f"/manage/activities/{activity.id}/costs/new"
    data = {"category": "travel", "payer": "ministry", "planned_amount": "10", "currency": "EUR"}
    data.update(changes)
    response = post_form(client, url, data, token_from=url)
    page = text(response)
    assert response.status_code == 200
    assert message in page and f"{label}:" in page  # in the summary, linked to the field
    assert db.session.scalar(select(func.count(CostLine.id))) == 1
    edit = f"/manage/activities/{activity.id}/costs/{saved.id}/edit"
    assert message in text(post_form(client, edit, data, token_from=edit))
    db.session.expire_all()
    assert db.session.get(CostLine, saved.id).planned_amount == Decimal("1250.50")


def test_the_overview_links_to_the_costs(login_as, own):
    activity, _saved = own
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}"))
    assert f"/manage/activities/{activity.id}/costs" in page


def test_the_participation_report_links_to_the_cost_report(login_as):
    page = text(login_as("trainer").get("/reports/participation?date_from=2030-01-01"))
    assert "/manage/costs?date_from=2030-01-01" in page


def test_the_report_page_shows_rows_and_totals_per_currency(login_as, people):
    two_programmes()
    page = text(login_as("trainer").get("/manage/costs?date_from=2030-03-01&date_to=2030-03-31"))
    assert "Alpha programme" in page and "Beta programme" in page
    assert "€3,800.50" in page  # planned EUR total
    assert "never converted" in page
    funders = text(login_as("trainer").get("/manage/costs?view=funder"))
    assert "not additive" in funders and "Ministry" in funders


def test_a_period_ending_before_it_starts_is_refused(login_as):
    client = login_as("trainer")
    response = client.get("/manage/costs?date_from=2030-03-02&date_to=2030-03-01")
    assert response.status_code == 400
    assert "Until: The end of the period is before its start." in text(response)
    csv = client.get("/manage/costs.csv?date_from=2030-03-02&date_to=2030-03-01")
    assert csv.status_code == 400 and "Until" in text(csv)


def test_csv_and_xlsx_carry_the_rows_and_are_formula_safe(login_as, people):
    a, _b, first, _second = two_programmes()
    line(first, "other", "self", "1", "USD", "", FORMULA)
    a.title = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    client = login_as("trainer")
    csv = client.get("/manage/costs.csv")
    body = text(csv)
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    assert "'=HYPERLINK" in body and "\n=" not in body and ",=" not in body
    assert "Beta programme,Travel,Programme or funder,EUR,300.00,250.00,0" in body
    xlsx = client.get("/manage/costs.xlsx?view=funder")
    sheets = load_workbook(io.BytesIO(xlsx.data))
    costs_sheet = list(sheets.worksheets[0].values)
    assert costs_sheet[0][0] == "Funder"
    assert all(not str(cell).startswith("=") for row in costs_sheet for cell in row if cell is not None)
    totals = {row[0]: row[1] for row in list(sheets.worksheets[1].values)[1:]}
    assert Decimal(str(totals["EUR"])) == Decimal("3800.50")


def test_a_formula_in_a_description_is_shown_as_text(login_as, own):
    activity, _saved = own
    line(activity, "other", "self", "1", "EUR", "", FORMULA)
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}/costs"))
    assert "=cmd|&#39; /C calc&#39;!A0" in page


def test_the_period_filter_applies_on_the_page(login_as):
    two_programmes()
    page = text(login_as("trainer").get(f"/manage/costs?date_from={date(2030, 3, 15)}"))
    assert "Beta programme" in page and "Alpha programme" not in page.split("<h2>")[-2]


def test_the_per_diem_planned_in_the_participants_details_is_shown_beside_the_lines(login_as, people, own):
    activity, _saved = own
    for number, days in enumerate((3, 2)):
        registration = Registration(activity=activity, person=factories.make_person(email=f"d{number}@example.org"),
                                    state=RegistrationState.CONFIRMED)
        db.session.add(registration)
        db.session.flush()
        db.session.add(Logistics(registration_id=registration.id, per_diem_amount=Decimal("60"), per_diem_days=days,
                                 per_diem_currency="EUR"))
    db.session.commit()
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}/costs"))
    assert "€300.00 for 2 participants" in page
