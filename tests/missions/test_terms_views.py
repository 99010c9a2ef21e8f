"""Terms of reference pages: who reads, edits and agrees; the stale agreement; the history's diff; the panel."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.missions import terms as service
from elearn.missions.models import MissionTeamMember, TeamRole
from elearn.missions.terms_models import TermsOfReference, TermsVersion
from elearn.panels import render_panels
from elearn.scheduling.models import Modality
from tests import factories
from tests.helpers import csrf_token, sign_in, text
from tests.scheduling.factories import make_activity


@pytest.fixture
def mission(people):
    activity = make_activity(modality=Modality.TECHNICAL_ASSISTANCE_MISSION, title="Hansard support",
                             host_parliament_id=people["focal_point"].parliament_id,
                             trainer_ids=(people["trainer"].id,))
    service.save_terms(activity, service.TermsInput(objectives="Set up a verbatim service",
                                                    body_md="Line one\nLine two\nLine three"), people["trainer"])
    return activity


def url(activity, page="terms"):
    return {"terms": f"/missions/{activity.id}/terms", "edit": f"/manage/missions/{activity.id}/terms/edit",
            "versions": f"/missions/{activity.id}/terms/versions", "agree": f"/missions/{activity.id}/terms/agree"}[page]


def client_for(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, factories.PASSWORD).status_code == 302
    return client


def post(client, address, **data):
    return client.post(address, data={"csrf_token": csrf_token(client, "/account/forgot"), **data})


def test_who_reads_and_who_edits(app, login_as, mission, people):
    member = factories.make_person(Role.LEARNER, email="expert@example.org", full_name="Awa Expert")
    db.session.add(MissionTeamMember(activity_id=mission.id, person_id=member.id, role=TeamRole.EXPERT))
    other_trainer = factories.make_person(Role.TRAINER, email="other-trainer@example.org")
    foreign_focal = factories.make_person(Role.FOCAL_POINT, email="far@example.org",
                                          parliament=factories.make_parliament(country_code="DP"))
    db.session.commit()
    readers = {"admin": login_as("admin"), "trainer": login_as("trainer"), "focal_point": login_as("focal_point"),
               "member": client_for(app, member)}
    refused = {"learner": login_as("learner"), "other_trainer": client_for(app, other_trainer),
               "foreign_focal": client_for(app, foreign_focal)}
    for name, client in readers.items():
        for page in ("terms", "versions"):
            response = client.get(url(mission, page))
            assert response.status_code == 200, (name, page)
            assert "Set up a verbatim service" in text(response) or page == "versions"
    for name, client in refused.items():
        for page in ("terms", "versions", "edit"):
            response = client.get(url(mission, page))
            assert response.status_code in (403, 404), (name, page)
            assert "verbatim" not in text(response)
    assert readers["trainer"].get(url(mission, "edit")).status_code == 200
    for name in ("focal_point", "member"):
        assert readers[name].get(url(mission, "edit")).status_code == 403
    anonymous = app.test_client().get(url(mission))
    assert anonymous.status_code == 302 and "/account/login" in anonymous.headers["Location"]


def test_an_activity_that_is_not_a_mission_has_no_terms(login_as, people):
    seminar = make_activity(trainer_ids=(people["trainer"].id,))
    client = login_as("admin")
    for page in ("terms", "versions", "edit"):
        assert client.get(url(seminar, page)).status_code == 404


def test_editing_makes_a_version_and_an_unchanged_save_none(login_as, mission):
    client = login_as("trainer")
    form = {"base_version": "1", "objectives": "Set up a verbatim service\r\nand train editors",
            "body_md": "Line one\r\nLine two\r\nLine three", "starts_on": "", "ends_on": ""}
    response = post(client, url(mission, "edit"), **form)
    assert response.status_code == 302
    assert service.terms_for(mission).version == 2
    response = post(client, url(mission, "edit"), **{**form, "base_version": "2"})
    assert "Nothing changed" in text(client.get(response.headers["Location"]))
    assert db.session.scalar(select(func.count(TermsVersion.id))) == 2
    # A form made from version 1 cannot overwrite version 2.
    response = post(client, url(mission, "edit"), **{**form, "objectives": "Old tab"})
    assert response.status_code == 200 and "while you were editing" in text(response)
    # End before start: refused under the field.
    response = post(client, url(mission, "edit"), **{**form, "base_version": "2", "starts_on": "2031-05-02",
                                                      "ends_on": "2031-05-01"})
    assert response.status_code == 200 and "cannot be before the start date" in text(response)
    assert service.terms_for(mission).version == 2


def test_the_focal_point_agrees_explicitly_and_a_stale_version_is_refused(login_as, mission, people):
    focal = login_as("focal_point")
    page = text(focal.get(url(mission)))
    assert "I agree to these terms" in page
    service.save_terms(mission, service.TermsInput(objectives="Changed meanwhile"), people["trainer"])
    response = post(focal, url(mission, "agree"), version="1")
    assert "version 2 is now the current text" in text(focal.get(response.headers["Location"]))
    assert service.terms_for(mission).agreed_version is None
    post(focal, url(mission, "agree"), version="2")
    terms = service.terms_for(mission)
    assert (terms.agreed_version, terms.agreed_by_id) == (2, people["focal_point"].id)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.TERMS_AGREED)) is not None
    assert "I agree to these terms" not in text(focal.get(url(mission)))
    # A later change: the page says which version was agreed and which is current.
    service.save_terms(mission, service.TermsInput(objectives="Third text"), people["trainer"])
    page = text(login_as("trainer").get(url(mission)))
    assert "agreed to version 2; the current text is version 3" in page


def test_no_one_else_may_agree(app, login_as, mission, people):
    foreign_focal = factories.make_person(Role.FOCAL_POINT, email="far@example.org",
                                          parliament=factories.make_parliament(country_code="DP"))
    db.session.commit()
    for client in (login_as("learner"), login_as("trainer"), login_as("admin"), client_for(app, foreign_focal)):
        assert post(client, url(mission, "agree"), version="1").status_code == 403
    assert service.terms_for(mission).agreed_version is None
    # A missing or garbled version is not an agreement either.
    focal = login_as("focal_point")
    for bad in ("", "x", "99"):
        assert post(focal, url(mission, "agree"), version=bad).status_code == 302
    assert service.terms_for(mission).agreed_version is None
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == AuditAction.TERMS_AGREED)) == 0


def test_another_missions_id_is_not_a_way_in(app, login_as, mission, people):
    """IDOR: the focal point of the host parliament of one mission reaches nothing of another's."""
    elsewhere = factories.make_parliament(country_code="DP")
    other = make_activity(modality=Modality.INFORMATION_MISSION, host_parliament_id=elsewhere.id)
    service.save_terms(other, service.TermsInput(objectives="Secret agenda of Farview"), people["admin"])
    focal = login_as("focal_point")
    for page in ("terms", "versions"):
        response = focal.get(url(other, page))
        assert response.status_code == 403 and "Farview" not in text(response)
    assert post(focal, url(other, "agree"), version="1").status_code == 403
    assert service.terms_for(other).agreed_version is None


def test_the_history_shows_an_escaped_line_diff(login_as, mission, people):
    service.save_terms(mission, service.TermsInput(objectives="Set up a verbatim service",
                                                   body_md="Line one\n<script>alert(1)</script>\nLine three"),
                       people["trainer"])
    html = login_as("trainer").get(url(mission, "versions")).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<del><span class=\"visually-hidden\">Removed: </span>− Line two</del>" in html
    assert "Version 2" in html and "Version 1" in html


def test_the_mission_panel(app, mission, people):
    with app.test_request_context():
        from flask_login import login_user
        login_user(people["trainer"])
        shown = "".join(render_panels("mission", mission))
        assert "Terms of reference" in shown and "Awaiting agreement" in shown and "/terms/edit" in shown
    with app.test_request_context():
        from flask_login import login_user
        login_user(people["learner"])
        assert render_panels("mission", mission) == [] or "Terms of reference" not in "".join(
            render_panels("mission", mission))


def test_the_focal_point_reads_the_page_in_arabic(login_as, mission, people):
    people["focal_point"].preferred_language = "ar"
    db.session.commit()
    client = login_as("focal_point")
    client.post("/language", data={"language": "ar", "csrf_token": csrf_token(client, "/account/forgot")})
    assert "الإطار المرجعي" in text(client.get(url(mission)))
    assert db.session.scalar(select(func.count(TermsOfReference.id))) == 1


def test_the_focal_points_dashboard_lists_terms_to_agree(login_as, mission):
    focal = login_as("focal_point")
    page = text(focal.get("/dashboard"))
    assert "Terms of reference awaiting your agreement" in page and "Hansard support" in page
    assert "Terms of reference awaiting your agreement" not in text(login_as("learner").get("/dashboard"))
