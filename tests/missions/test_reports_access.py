"""Who may do each step of a mission report: wrong roles, other missions' heads (IDOR), the team."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.missions import reports
from elearn.missions.models import TeamRole
from elearn.missions.report_models import Priority, Recommendation, ReportStatus
from elearn.scheduling.models import Modality
from tests import factories
from tests.helpers import sign_in, text
from tests.missions.reports_helpers import add_member, make_head, make_mission, page, post
from tests.scheduling.factories import make_activity, one_session


@pytest.fixture
def two_missions(people):
    host = people["focal_point"].parliament
    ours = make_mission(host, people["trainer"], title="Our mission")
    theirs = make_mission(factories.make_parliament(name_en="Far Parliament", country_code="FP"),
                          title="Their mission")
    head = make_head(ours, "head@example.org")
    other_head = make_head(theirs, "otherhead@example.org")
    reports.save_findings(ours, head, "Our findings")
    rec = reports.add_recommendation(ours, head, "Our secret recommendation", Priority.HIGH)
    reports.save_findings(theirs, other_head, "Their findings")
    theirs_rec = reports.add_recommendation(theirs, other_head, "Their recommendation", Priority.LOW)
    return {"ours": ours, "theirs": theirs, "head": head, "other_head": other_head, "rec": rec,
            "theirs_rec": theirs_rec}


def client_for(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, factories.PASSWORD).status_code == 302
    return client


def _count():
    db.session.commit()
    return db.session.scalar(select(func.count(Recommendation.id)))


def test_another_missions_head_gets_nothing(app, two_missions):
    ours, rec = two_missions["ours"], two_missions["rec"]
    intruder = client_for(app, two_missions["other_head"])
    response = page(intruder, ours)
    assert response.status_code == 404 and "Our secret recommendation" not in text(response)
    before = _count()
    for endpoint, data, extra in (
            ("mission_reports.save_findings", {"findings": "Overwritten"}, {}),
            ("mission_reports.add_recommendation", {"new-text": "Planted", "new-priority": "low"}, {}),
            ("mission_reports.edit_recommendation", {f"r{rec.id}-text": "Changed", f"r{rec.id}-priority": "low"},
             {"recommendation_id": rec.id}),
            ("mission_reports.remove_recommendation", {}, {"recommendation_id": rec.id}),
            ("mission_reports.submit", {}, {})):
        assert post(intruder, endpoint, data, activity_id=ours.id, **extra).status_code == 404, endpoint
    assert _count() == before
    db.session.expire_all()
    report = reports.report_for(ours)
    assert report.findings_md == "Our findings" and report.recommendations[0].text == "Our secret recommendation"


def test_a_recommendation_of_another_mission_is_not_found_through_ones_own(app, two_missions):
    head = client_for(app, two_missions["head"])
    theirs_rec = two_missions["theirs_rec"]
    response = post(head, "mission_reports.remove_recommendation", activity_id=two_missions["ours"].id,
                    recommendation_id=theirs_rec.id)
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Recommendation, theirs_rec.id) is not None


def test_team_members_read_but_only_the_head_writes(app, people, two_missions):
    ours = two_missions["ours"]
    expert = factories.make_person(email="expert@example.org")
    add_member(ours, expert, TeamRole.EXPERT)
    client = client_for(app, expert)
    response = page(client, ours)
    assert response.status_code == 200 and "Our secret recommendation" in text(response)
    assert "Save the findings" not in text(response)
    before = _count()
    post(client, "mission_reports.add_recommendation", {"new-text": "Expert idea", "new-priority": "low"},
         activity_id=ours.id)
    post(client, "mission_reports.submit", activity_id=ours.id)
    assert _count() == before
    assert reports.report_for(ours).status == ReportStatus.DRAFT


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_partners_and_strangers_cannot_see_a_draft(login_as, two_missions, role):
    assert page(login_as(role), two_missions["ours"]).status_code == 404


def test_a_trainer_of_another_activity_cannot_validate(login_as, people, two_missions):
    theirs, other_head = two_missions["theirs"], two_missions["other_head"]
    reports.submit(theirs, other_head)
    trainer = login_as("trainer")  # teaches "Our mission", not theirs
    assert post(trainer, "mission_reports.validate", activity_id=theirs.id).status_code == 404
    assert post(trainer, "mission_reports.send_back", {"note": "No"}, activity_id=theirs.id).status_code == 404
    db.session.expire_all()
    assert reports.report_for(theirs).status == ReportStatus.SUBMITTED
    admin = login_as("admin")
    assert post(admin, "mission_reports.validate", activity_id=theirs.id).status_code == 302
    db.session.expire_all()
    assert reports.report_for(theirs).status == ReportStatus.VALIDATED


def test_the_head_cannot_validate_nor_convert(app, people, two_missions):
    ours, head = two_missions["ours"], two_missions["head"]
    reports.submit(ours, head)
    client = client_for(app, head)  # a learner: the manage routes are for trainers
    assert post(client, "mission_reports.validate", activity_id=ours.id).status_code == 403
    with pytest.raises(reports.ReportError):
        reports.validate(ours, head)
    assert reports.report_for(ours).status == ReportStatus.SUBMITTED


def test_without_csrf_nothing_is_written(app, two_missions):
    client = client_for(app, two_missions["head"])
    response = client.post(f"/missions/{two_missions['ours'].id}/report/findings", data={"findings": "No token"})
    assert response.status_code == 400
    db.session.expire_all()
    assert reports.report_for(two_missions["ours"]).findings_md == "Our findings"


def test_an_activity_that_is_not_a_mission_has_no_report(admin_client, people):
    seminar = make_activity(modality=Modality.SEMINAR, sessions=one_session(days_ahead=-1))
    assert page(admin_client, seminar).status_code == 404
