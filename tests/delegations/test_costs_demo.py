"""The demo's cost lines: on the working visit and the cycle, once."""
from decimal import Decimal

from sqlalchemy import func, select

from elearn.delegations import costs
from elearn.delegations.costs_models import CostLine
from elearn.demo import seed_people
from elearn.demo.costs import VISIT_LINES, seed_costs
from elearn.demo.delegations import CYCLE_TITLE, VISIT_TITLE, seed_delegations
from elearn.demo.logistics import seed_logistics
from elearn.extensions import db
from elearn.people.reference_data import seed_reference_data
from elearn.scheduling.models import Activity
from tests.helpers import sign_in, text


def test_seed_costs_fills_the_visit_and_the_cycle_once(app):
    seed_reference_data()
    seed_people()
    seed_delegations()
    seed_costs()
    visit = db.session.scalar(select(Activity).where(Activity.title == VISIT_TITLE))
    cycle = db.session.scalar(select(Activity).where(Activity.title == CYCLE_TITLE))
    lines = db.session.scalars(select(CostLine).order_by(CostLine.id)).all()
    assert {line.activity_id for line in lines} == {visit.id, cycle.id}
    assert {line.category.value for line in lines} == {"travel", "stay", "per_diem", "interpretation", "venue"}
    assert {line.payer.value for line in lines} >= {"programme", "ministry", "host_parliament"}
    assert [line.currency for line in lines].count("XOF") == 1
    assert any(line.actual_amount is None for line in lines) and any(line.actual_amount for line in lines)
    totals = {t.currency: t.planned for t in costs.currency_totals(visit.id)}
    assert totals == {"EUR": Decimal("12180.00"), "XOF": Decimal("300000.00")}

    seed_costs()
    assert db.session.scalar(select(func.count(CostLine.id))) == len(lines)

    trainer = app.test_client()
    sign_in(trainer, "trainer@example.org", "demo-lectern-2026")
    page = text(trainer.get(f"/manage/activities/{visit.id}/costs"))
    assert "Return flights Abidjan–Paris for six" in page


def test_the_demo_visits_per_diem_line_matches_its_participants_per_diems(app):
    """The cost line a trainer reads beside the per-diems planned in travel and stay: the same sum."""
    seed_reference_data()
    seed_people()
    seed_delegations()
    seed_logistics()
    visit = db.session.scalar(select(Activity).where(Activity.title == VISIT_TITLE))
    planned = costs.planned_per_diem(visit.id)
    line = next(line for line in VISIT_LINES if line[0] == "per_diem" and line[4] == "EUR")
    assert planned == [("EUR", Decimal(line[2]).quantize(Decimal("0.01")), 6)]
