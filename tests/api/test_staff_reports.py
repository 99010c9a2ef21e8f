"""Participation figures, results frameworks, needs requests and action plans through the API, as the web shows them."""
from datetime import date

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.api.scopes import Scope
from elearn.audit.models import AuditAction, AuditEvent
from elearn.cooperation.models import RequestStatus
from elearn.evaluation import indicators as framework_service
from elearn.extensions import db
from elearn.reports.facts import ReportFilters
from elearn.reports.protection import HIDDEN
from elearn.reports.report import build_report
from elearn.reports.tables import breakdown_table
from elearn.scheduling.models import Modality
from tests import factories
from tests.api.helpers import all_pages, api_as
from tests.cooperation.factories import make_plan, make_request
from tests.evaluation import indicator_world
from tests.helpers import frozen_clock
from tests.reports.factories import make_held_activity
from tests.reports.side_world import NOW, seed_world

FIGURES = "/api/v1/reports/participation"


@pytest.fixture
def world(app):
    return seed_world(app)


@pytest.fixture
def reader(app, people):
    return api_as(app, people["trainer"], Scope.READ_REPORTS)


def as_tables(body: dict) -> dict[str, list[list]]:
    """The API's slices as the web's tables: label then figures, a hidden cell as the page's mark."""
    return {b["key"]: [[row["label"]] + [HIDDEN if row["values"][m] is None else row["values"][m]
                                         for m in b["measures"]] for row in b["rows"]] for b in body["breakdowns"]}


def web_tables(filters: ReportFilters) -> dict[str, list[list]]:
    return {b.key: breakdown_table(b).rows for b in build_report(filters).breakdowns}


@pytest.mark.parametrize("query, filters", [
    ({}, ReportFilters()),
    ({"date_from": "2026-01-01", "date_to": "2026-06-30"},
     ReportFilters(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))),
    ({"funder": "UNDP"}, ReportFilters(funder="UNDP")),
    ({"modality": "exchange_visit"}, ReportFilters(modality=Modality.EXCHANGE_VISIT)),
])
def test_figures_are_the_web_reports_for_the_same_filters(world, reader, query, filters):
    with frozen_clock(NOW):
        response = reader.get(FIGURES, query_string=query)
        web = build_report(filters)
        tables = web_tables(filters)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert as_tables(body) == tables
    assert body["totals"] == {"activities_held": web.activities_held, "participations": web.total.participations,
                              "people": web.total.people, "days": web.total.days, "hours": web.total.hours}
    assert body["filters"] == filters.as_args()


def test_protected_side_cells_stay_hidden_and_never_exact(world, reader):
    with frozen_clock(NOW):
        body = reader.get(FIGURES).get_json()
        exact = build_report(ReportFilters())
    side = next(b for b in body["breakdowns"] if b["key"] == "side")
    assert side["measures"] == ["people"] and side["withheld"] is None
    shown = [row["values"]["people"] for row in side["rows"]]
    assert None in shown and any(value is not None for value in shown)
    assert all(value is None or value % 5 == 0 for value in shown)
    hidden = [row for row in side["rows"] if row["values"]["people"] is None]
    assert all(row["hidden"] in ("small", "secondary") for row in hidden)
    assert exact.breakdown("side").rows  # the service's rows carry no exact figures either
    assert all(row.figures.people == 0 for row in exact.breakdown("side").rows)


def test_a_parliament_filter_withholds_sides_as_the_page_does(world, reader):
    with frozen_clock(NOW):
        body = reader.get(FIGURES, query_string={"parliament_id": world.parliaments["south"]}).get_json()
    side = next(b for b in body["breakdowns"] if b["key"] == "side")
    assert side["withheld"] == "narrow" and side["rows"] == []
    assert "not shown for one parliament" in side["notes"][0]
    assert body["opposition_targets"] == []


def test_a_read_that_shows_sides_is_audited_as_the_pages_are(world, reader, people):
    with frozen_clock(NOW):
        reader.get(FIGURES)
        reader.get(FIGURES, query_string={"parliament_id": world.parliaments["north"]})
    reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.POLITICAL_SIDE_READ)).all()
    assert [(event.actor_id, event.details["output"]) for event in reads] == [(people["trainer"].id, "api")]


@pytest.mark.parametrize("query, field", [
    ({"modality": "picnic"}, "modality"), ({"date_from": "yesterday"}, "date_from"),
    ({"programme_id": "999999"}, "programme_id"), ({"programme_id": str(2 ** 70)}, "programme_id"),
    ({"topic_id": "999999"}, "topic_id"), ({"funder": "Nobody"}, "funder"),
    ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to"),
    ({"date_from": "0001-01-01"}, "date_from"), ({"date_to": "9999-12-31"}, "date_to"),
])
def test_bad_filters_are_named_field_by_field(app, reader, query, field):
    response = reader.get(FIGURES, query_string=query)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["query"]


def test_a_parliament_that_receives_no_assistance_is_not_a_filter(app, reader):
    giver = factories.make_parliament(receives_assistance=False, gives_assistance=True)
    response = reader.get(FIGURES, query_string={"parliament_id": giver.id})
    assert response.status_code == 422 and "parliament_id" in response.get_json()["errors"]["query"]


def test_figures_need_read_reports(app, people, login_as):
    assert login_as("learner").get(FIGURES).status_code == 403
    assert api_as(app, people["trainer"], Scope.READ_PUBLIC).get(FIGURES).status_code == 403


# Results framework -------------------------------------------------------------------------

def test_the_results_framework_is_the_pages(app, reader):
    data = indicator_world.world()
    alpha = data["alpha"]
    framework_service.save_indicator(alpha, framework_service.IndicatorInput(
        title="Participants", measure="participants", target_value=4, baseline_value=0))
    framework_service.save_indicator(alpha, framework_service.IndicatorInput(
        title="Committees reformed", measure="manual", target_value=2))
    with frozen_clock(indicator_world.NOW):
        body = reader.get(f"/api/v1/programmes/{alpha.id}/indicators").get_json()
        periods = framework_service.programme_periods(alpha, indicator_world.NOW.date())
        rows = framework_service.framework(alpha, periods)
    assert body["periods"] == [{"start": "2026-01-01", "end": "2026-12-31"}]
    assert [i["title"] for i in body["indicators"]] == [row.indicator.title for row in rows]
    computed, manual = body["indicators"]
    assert computed["cells"][0]["value"] == rows[0].cells[0].actual.value == 3
    assert computed["cells"][0]["on_track"] is rows[0].cells[0].on_track
    assert manual["cells"][0] == {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": None,
                                  "reason": "no value entered", "note": "", "entered": False, "on_track": None}


def test_an_unknown_programme_has_no_framework(app, reader):
    assert reader.get("/api/v1/programmes/999999/indicators").status_code == 404


# Requests and action plans -----------------------------------------------------------------

@pytest.fixture
def cooperation(app, people):
    mine = people["focal_point"].parliament
    other_focal = factories.make_person(Role.FOCAL_POINT)
    first = make_request(people["focal_point"], title="Budget committee training")
    second = make_request(other_focal, title="Library advice")
    activity = make_held_activity([(indicator_world.utc(2026, 3, 1, 9).replace(tzinfo=None),
                                    indicator_world.utc(2026, 3, 1, 12).replace(tzinfo=None))])
    plan = make_plan(activity, mine, agreed_on=date(2026, 3, 2))
    return {"requests": [first, second], "plan": plan, "activity": activity, "mine": mine}


def test_trainers_see_every_parliaments_requests_as_on_the_web(app, reader, cooperation):
    first, second = cooperation["requests"]
    items = all_pages(reader, "/api/v1/requests/", limit=1)
    assert [(i["id"], i["title"], i["status"]) for i in items] == [
        (first.id, "Budget committee training", "received"), (second.id, "Library advice", "received")]
    assert items[0]["parliament"]["id"] == cooperation["mine"].id
    mine = reader.get("/api/v1/requests/", query_string={"parliament_id": cooperation["mine"].id}).get_json()
    assert [i["id"] for i in mine["items"]] == [first.id]
    accepted = reader.get("/api/v1/requests/", query_string={"status": RequestStatus.ACCEPTED.value}).get_json()
    assert accepted["items"] == []
    detail = reader.get(f"/api/v1/requests/{first.id}").get_json()
    assert detail["need"] == first.need and detail["submitted_by"] == first.submitted_by.full_name
    assert detail["activities"] == [] and detail["created_at"].endswith("+00:00")


def test_action_plans_with_their_commitments_and_reviews(app, reader, cooperation):
    plan = cooperation["plan"]
    listed = reader.get("/api/v1/action-plans/").get_json()["items"]
    assert len(listed) == 1
    summary = listed[0]
    assert summary["id"] == plan.id and summary["activity"]["id"] == cooperation["activity"].id
    assert summary["commitments_total"] == summary["commitments_open"] == 2
    assert summary["reviews_total"] == 1 and summary["reviews_held"] == 0
    assert summary["next_review_due_on"] == plan.reviews[0].due_on.isoformat()
    detail = reader.get(f"/api/v1/action-plans/{plan.id}").get_json()
    assert [c["description"] for c in detail["commitments"]] == [c.description for c in plan.commitments]
    assert detail["commitments"][0]["owner"] in ("partner", "assisting")
    assert [r["due_on"] for r in detail["reviews"]] == [r.due_on.isoformat() for r in plan.reviews]


def test_unknown_requests_and_plans_are_404(app, reader):
    for url in ("/api/v1/requests/999999", "/api/v1/action-plans/999999"):
        response = reader.get(url)
        assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_focal_points_reach_requests_on_the_web_but_not_through_read_reports(login_as, cooperation):
    focal = login_as("focal_point")
    assert focal.get(f"/cooperation/requests/{cooperation['requests'][0].id}").status_code == 200
    assert focal.get(f"/api/v1/requests/{cooperation['requests'][0].id}").status_code == 403
    assert focal.get("/api/v1/action-plans/").status_code == 403
