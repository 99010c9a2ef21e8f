"""The placements demo: Sonam Clerk in the Table Office around the working visit, and a completed placement."""
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.placements.models import Placement, PlacementReport, PlacementStatus
from elearn.reports.facts import ReportFilters
from elearn.reports.report import build_report
from elearn.scheduling.models import Modality
from tests.helpers import sign_in, text


def test_the_demo_places_sonam_and_a_second_run_adds_nothing(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["demo", "seed", "--no-courses"])
        assert result.exit_code == 0, result.output
    placements = {p.service: p for p in db.session.scalars(select(Placement))}
    assert set(placements) == {"Table Office", "Verbatim Record Service"}
    table_office = placements["Table Office"]
    assert table_office.person.email == "staff@example.org" and table_office.host_parliament.country_code == "FR"
    assert table_office.tutor.parliament_id == table_office.host_parliament_id
    assert table_office.activity is not None and table_office.entries
    assert placements["Verbatim Record Service"].status == PlacementStatus.COMPLETED
    assert db.session.scalar(select(func.count()).select_from(PlacementReport)) == 2
    assert build_report(ReportFilters(modality=Modality.SHADOWING)).total.days == 4

    client = app.test_client()
    sign_in(client, "staff@example.org", "demo-learner-2026")
    page = text(client.get(f"/placements/{table_office.id}"))
    assert "Table Office" in page, page[-3000:]
    assert "agenda for these days" in page
    assert "Your shadowing placements" in text(client.get("/dashboard"))
