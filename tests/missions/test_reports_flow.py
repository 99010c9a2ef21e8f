"""A mission report from draft to validated: writing, ordering, sanitising, sending back, audit."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.missions import reports
from elearn.missions.report_models import Priority, Recommendation, ReportStatus
from tests.helpers import text
from tests.missions.reports_helpers import make_head, make_mission, page, post, validated_report


@pytest.fixture
def mission(people):
    activity = make_mission(people["focal_point"].parliament, people["trainer"])
    head = make_head(activity, "head@example.org", full_name="Amina Head")
    return activity, head


def test_the_head_writes_submits_and_a_trainer_validates(login_as, people, mission):
    activity, head = mission
    from tests import factories
    from tests.helpers import sign_in

    client = login_as("learner").application.test_client()
    assert sign_in(client, head.email, factories.PASSWORD).status_code == 302
    assert "Save the findings" in text(page(client, activity))
    post(client, "mission_reports.save_findings", {"findings": "Weekly **sittings**"}, activity_id=activity.id)
    for words, priority in (("Create a budget office", "high"), ("Train the clerks", "low"), ("Open a library", "medium")):
        post(client, "mission_reports.add_recommendation", {"new-text": words, "new-priority": priority},
             activity_id=activity.id)
    report = reports.report_for(activity)
    assert [r.text for r in report.recommendations] == ["Create a budget office", "Train the clerks", "Open a library"]
    third = report.recommendations[2]
    post(client, "mission_reports.move_recommendation", {"direction": "up"}, activity_id=activity.id,
         recommendation_id=third.id)
    first = report.recommendations[0]
    post(client, "mission_reports.edit_recommendation", {f"r{first.id}-text": "Create a budget office soon",
                                                         f"r{first.id}-priority": "medium"},
         activity_id=activity.id, recommendation_id=first.id)
    post(client, "mission_reports.remove_recommendation", activity_id=activity.id,
         recommendation_id=report.recommendations[2].id)
    db.session.expire_all()
    rows = db.session.scalars(select(Recommendation).order_by(Recommendation.position)).all()
    assert [(r.position, r.text, r.priority) for r in rows] == [
        (1, "Create a budget office soon", Priority.MEDIUM), (2, "Open a library", Priority.MEDIUM)]
    assert "<strong>sittings</strong>" in report.findings_html

    post(client, "mission_reports.submit", activity_id=activity.id)
    db.session.expire_all()
    assert reports.report_for(activity).status == ReportStatus.SUBMITTED
    # Submitted: the head can no longer change it.
    post(client, "mission_reports.add_recommendation", {"new-text": "Late idea", "new-priority": "low"},
         activity_id=activity.id)
    assert db.session.scalar(select(Recommendation).where(Recommendation.text == "Late idea")) is None

    trainer = login_as("trainer")
    assert "Validate the report" in text(page(trainer, activity))
    post(trainer, "mission_reports.validate", activity_id=activity.id)
    db.session.expire_all()
    report = reports.report_for(activity)
    assert report.status == ReportStatus.VALIDATED and report.validated_by_id == people["trainer"].id
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "mission_report")).all()
    assert actions == [AuditAction.MISSION_REPORT_SUBMITTED, AuditAction.MISSION_REPORT_VALIDATED]


def test_sending_back_reopens_the_draft_with_the_note(login_as, people, mission):
    activity, head = mission
    reports.save_findings(activity, head, "Findings")
    reports.add_recommendation(activity, head, "Do it", Priority.LOW)
    reports.submit(activity, head)
    trainer = login_as("trainer")
    post(trainer, "mission_reports.send_back", {"note": ""}, activity_id=activity.id)
    db.session.expire_all()
    assert reports.report_for(activity).status == ReportStatus.SUBMITTED  # a note is required
    post(trainer, "mission_reports.send_back", {"note": "Say which committees"}, activity_id=activity.id)
    db.session.expire_all()
    report = reports.report_for(activity)
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None
    assert reports.return_note(report).details["note"] == "Say which committees"
    assert "Say which committees" in text(page(trainer, activity))
    reports.add_recommendation(activity, head, "Name the committees", Priority.HIGH)
    assert len(reports.report_for(activity).recommendations) == 2


def test_findings_are_sanitised(mission):
    activity, head = mission
    report = reports.save_findings(activity, head, "Intro <script>alert(1)</script> [x](javascript:alert(1)) "
                                                  '<img src=x onerror="alert(1)">')
    assert "<script" not in report.findings_html and "<img" not in report.findings_html
    assert 'href="javascript' not in report.findings_html
    assert "&lt;script&gt;" in report.findings_html  # shown as text, as course content is


def test_the_report_waits_for_the_mission_to_begin(people):
    future = make_mission(people["focal_point"].parliament, people["trainer"], days_ahead=10)
    head = make_head(future, "early@example.org")
    with pytest.raises(reports.ReportError):
        reports.save_findings(future, head, "Too early")
    assert reports.report_for(future) is None


def test_submitting_needs_findings_and_a_recommendation(mission):
    activity, head = mission
    reports.save_findings(activity, head, "Only findings")
    with pytest.raises(reports.ReportError):
        reports.submit(activity, head)
    assert reports.report_for(activity).status == ReportStatus.DRAFT


def test_bad_input_is_refused(mission):
    activity, head = mission
    with pytest.raises(reports.ReportError):
        reports.add_recommendation(activity, head, "   ", Priority.LOW)
    with pytest.raises(reports.ReportError):
        reports.add_recommendation(activity, head, "x" * (reports.MAX_RECOMMENDATION + 1), Priority.LOW)
    with pytest.raises(reports.ReportError):
        reports.save_findings(activity, head, "x" * (reports.MAX_FINDINGS + 1))


def test_the_host_focal_point_reads_it_once_validated(login_as, people, mission):
    activity, head = mission
    focal = login_as("focal_point")
    assert page(focal, activity).status_code == 404
    validated_report(activity, head, people["trainer"])
    response = page(focal, activity)
    assert response.status_code == 200 and "Create a budget office" in text(response)
    assert "Make it a needs request" not in text(response)
