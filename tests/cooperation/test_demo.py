"""`flask demo seed` gives the cooperation cycle something to show."""
from sqlalchemy import func, select

from elearn.cooperation.models import ActionPlan, NeedsRequest, RequestStatus, SupportKind
from elearn.extensions import db
from elearn.people.affiliations import PoliticalAffiliation
from elearn.reports.facts import ReportFilters
from elearn.reports.report import build_report
from elearn.scheduling.models import Attendance
from tests.helpers import sign_in, text


def test_demo_seed_walks_the_whole_cycle_once(app, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "with 7 requests for support" in result.output  # the cycle's six and the assessment mission's
    statuses = {r.status for r in db.session.scalars(select(NeedsRequest))}
    assert statuses == set(RequestStatus)
    assert db.session.scalar(select(NeedsRequest).where(NeedsRequest.kind == SupportKind.EQUIPMENT)) is not None
    [plan] = db.session.scalars(select(ActionPlan)).all()
    assert len(plan.commitments) == 4 and any(r.held_on and r.notes for r in plan.reviews)
    assert db.session.scalar(select(func.count(Attendance.id))) > 40
    # One member changed side between two demo activities.
    changed = db.session.scalar(select(PoliticalAffiliation.person_id).group_by(PoliticalAffiliation.person_id)
                                .having(func.count() > 1))
    assert changed is not None

    report = build_report(ReportFilters())
    # The four past cooperation activities, the workshop whose attendance the trainer has yet to take, and the
    # two missions (elearn/demo/missions.py: one held, one under way).
    assert report.activities_held == 7 and report.total.participations > 20
    assert {row.label for row in report.breakdown("parliament").rows} >= {
        "National Assembly of The Gambia", "Parliament of Bhutan"}
    assert any(row.share is not None and row.target for row in report.targets)

    again = runner.invoke(args=["demo", "seed"])
    assert "with 0 requests for support" in again.output
    assert db.session.scalar(select(func.count(NeedsRequest.id))) == 7

    trainer = app.test_client()
    sign_in(trainer, "trainer@example.org", "demo-lectern-2026")
    board = text(trainer.get("/dashboard"))
    assert "overdue" in board and "Publish hearing reports" in board, board[board.find("<main"):][:3000]
