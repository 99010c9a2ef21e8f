"""Each validated recommendation becomes one needs request, commitment or programme, linked both ways."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from elearn.audit.models import AuditAction, AuditEvent
from elearn.cooperation.models import Commitment, NeedsRequest, RequestStatus, SupportKind
from elearn.database import utcnow
from elearn.extensions import db
from elearn.missions import reports
from elearn.missions.report_models import Recommendation
from elearn.scheduling.models import Programme, ProgrammeStatus
from tests import factories
from tests.cooperation.factories import make_plan, make_request
from tests.helpers import text
from tests.missions.reports_helpers import make_head, make_mission, page, post, validated_report
from tests.scheduling.factories import make_activity


@pytest.fixture
def done(people):
    host = people["focal_point"].parliament
    activity = make_mission(host, people["trainer"])
    head = make_head(activity, "head@example.org")
    report = validated_report(activity, head, people["trainer"],
                              texts=("Create a budget office", "Train committee clerks", "Open a research service"))
    return activity, report


def _rec(report, n) -> Recommendation:
    return report.recommendations[n]


def test_a_needs_request_with_the_link_both_ways(login_as, people, done):
    activity, report = done
    trainer = login_as("trainer")
    rec = _rec(report, 0)
    assert post(trainer, "mission_reports.convert", {"outcome": "needs_request"}, activity_id=activity.id,
                recommendation_id=rec.id).status_code == 302
    db.session.expire_all()
    rec = db.session.get(Recommendation, rec.id)
    needs = rec.needs_request
    assert needs.parliament_id == activity.host_parliament_id and needs.status == RequestStatus.RECEIVED
    assert needs.kind == SupportKind.ADVICE and needs.title == "Create a budget office"
    assert "Create a budget office" in needs.need and [a.id for a in needs.activities] == [activity.id]
    assert rec.commitment_id is None and rec.programme_id is None and rec.converted_by_id == people["trainer"].id
    # Both ways: the request's page names the mission; the report says what it led to.
    for client in (trainer, login_as("focal_point")):
        request_page = text(client.get(f"/cooperation/requests/{needs.id}"))
        assert "This request came from a mission" in request_page
        assert f"/missions/{activity.id}/report" in request_page
    assert f"/cooperation/requests/{needs.id}" in text(page(trainer, activity))
    assert db.session.scalar(select(AuditEvent.details).where(
        AuditEvent.action == AuditAction.RECOMMENDATION_CONVERTED)) == {
        "outcome": "needs_request", "id": needs.id, "activity_id": activity.id}


def test_a_commitment_in_a_chosen_plan(login_as, people, done):
    activity, report = done
    trainer = login_as("trainer")
    assert "no action plan yet" in text(page(trainer, activity))
    plan = make_plan(make_activity(title="Earlier seminar"), people["focal_point"].parliament)
    other_plan = make_plan(make_activity(title="Elsewhere"), factories.make_parliament(name_en="Other", country_code="OT"))
    rec = _rec(report, 1)
    due = (utcnow() + timedelta(days=90)).date().isoformat()
    # Another parliament's plan is refused.
    post(trainer, "mission_reports.convert", {"outcome": "commitment", f"c{rec.id}-plan_id": other_plan.id,
                                              f"c{rec.id}-owner": "partner", f"c{rec.id}-due_on": due},
         activity_id=activity.id, recommendation_id=rec.id)
    db.session.expire_all()
    assert db.session.get(Recommendation, rec.id).converted_at is None
    post(trainer, "mission_reports.convert", {"outcome": "commitment", f"c{rec.id}-plan_id": plan.id,
                                              f"c{rec.id}-owner": "partner", f"c{rec.id}-due_on": due},
         activity_id=activity.id, recommendation_id=rec.id)
    db.session.expire_all()
    rec = db.session.get(Recommendation, rec.id)
    assert rec.commitment.plan_id == plan.id and "Train committee clerks" in rec.commitment.description
    plan_page = text(trainer.get(f"/cooperation/action-plans/{plan.id}"))
    assert "Commitments that came from missions" in plan_page and f"/missions/{activity.id}/report" in plan_page
    assert f"/cooperation/action-plans/{plan.id}" in text(page(trainer, activity))


def test_a_proposed_programme_and_the_mission_panel(app, login_as, people, done):
    activity, report = done
    trainer = login_as("trainer")
    rec = _rec(report, 2)
    post(trainer, "mission_reports.convert", {"outcome": "programme"}, activity_id=activity.id,
         recommendation_id=rec.id)
    db.session.expire_all()
    programme = db.session.get(Recommendation, rec.id).programme
    assert programme.status == ProgrammeStatus.PLANNED and programme.title == "Open a research service"
    assert [p.id for p in programme.partners] == [activity.host_parliament_id]
    programme_page = text(trainer.get(f"/manage/programmes/{programme.id}"))
    assert "The mission(s) this programme came from" in programme_page
    assert activity.title in programme_page and f"/missions/{activity.id}/report" in programme_page
    assert "Open a research service" in text(page(trainer, activity))
    # The mission's hub shows the panel (rendered here as the team part's page will).
    from elearn.panels import render_panels

    with app.test_request_context():
        from flask_login import login_user
        login_user(people["trainer"])
        html = "".join(render_panels("mission", activity))
    assert "Led to:" in html and f"/manage/programmes/{programme.id}" in html and "Validated" in html


def test_converting_twice_is_refused(login_as, done):
    activity, report = done
    trainer = login_as("trainer")
    rec = _rec(report, 0)
    for outcome in ("needs_request", "programme", "needs_request"):
        post(trainer, "mission_reports.convert", {"outcome": outcome}, activity_id=activity.id,
             recommendation_id=rec.id)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(NeedsRequest.id))) == 1
    assert db.session.scalar(select(func.count(Programme.id))) == 0
    rec = db.session.get(Recommendation, rec.id)
    assert rec.needs_request_id is not None and rec.programme_id is None


def test_the_database_refuses_two_outcomes(people, done):
    activity, report = done
    rec = _rec(report, 0)
    reports.convert_to_programme(rec, people["trainer"])
    rec.needs_request_id = make_request(people["trainer"], parliament=activity.host_parliament).id
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_only_validated_reports_and_managers_convert(login_as, people):
    activity = make_mission(people["focal_point"].parliament, people["trainer"])
    head = make_head(activity, "head2@example.org")
    reports.save_findings(activity, head, "F")
    rec = reports.add_recommendation(activity, head, "Too early", "low")
    with pytest.raises(reports.ReportError):
        reports.convert_to_programme(rec, people["trainer"])
    reports.submit(activity, head)
    reports.validate(activity, people["trainer"])
    with pytest.raises(reports.ReportError):
        reports.convert_to_programme(db.session.get(Recommendation, rec.id), people["focal_point"])
    assert post(login_as("focal_point"), "mission_reports.convert", {"outcome": "programme"},
                activity_id=activity.id, recommendation_id=rec.id).status_code == 403
    assert post(login_as("admin"), "mission_reports.convert", {"outcome": "nonsense"},
                activity_id=activity.id, recommendation_id=rec.id).status_code == 400
    assert db.session.scalar(select(func.count(Commitment.id))) == 0
    assert db.session.get(Recommendation, rec.id).converted_at is None


def test_the_report_page_reads_a_fixed_number_of_statements(login_as, people):
    from tests.helpers import count_queries

    counts = []
    for n in (2, 20):
        activity = make_mission(people["focal_point"].parliament, people["trainer"], title=f"Mission {n}")
        head = make_head(activity, f"head{n}@example.org")
        validated_report(activity, head, people["trainer"], texts=tuple(f"Recommendation {i}" for i in range(n)))
        for rec in reports.report_for(activity).recommendations[: n // 2]:
            reports.convert_to_programme(rec, people["trainer"])
        client = login_as("trainer")
        with count_queries() as counter:
            assert page(client, activity).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
