"""The mission pages: the list, the hub with its team, adding and removing members, and who may do it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditEvent
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.missions import team
from elearn.missions.models import MissionTeamMember, TeamRole
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, Modality
from tests.factories import make_person
from tests.helpers import csrf_token, post_form, text
from tests.missions.test_team_services import make_expert, make_mission
from tests.scheduling.factories import make_activity, one_session


@pytest.fixture
def mission(app, people):
    return make_mission(title="Budget office assistance", trainer_ids=(people["trainer"].id,))


def hub(mission) -> str:
    return f"/manage/missions/{mission.id}"


def test_the_hub_shows_the_facts_and_the_team_with_its_warnings(login_as, mission, people):
    expert = make_expert("Ada Expert")
    services.register(make_activity(title="Committee workshop", sessions=one_session(21)).id, expert)
    team.add_member(mission, expert, TeamRole.HEAD, actor=people["trainer"])
    page = text(login_as("trainer").get(hub(mission)))
    assert "Budget office assistance" in page and "Technical-assistance mission" in page
    assert "Ada Expert" in page and "Head of mission" in page
    assert "Ada Expert is also booked for “Committee workshop” at the same time." in page


def test_a_mission_that_is_over_shows_its_team_without_warnings(login_as, mission, people):
    """Clashes and unavailability call for a decision before the mission, not on its record afterwards."""
    expert = make_expert("Ada Expert")
    services.register(make_activity(title="Committee workshop", sessions=one_session(21)).id, expert)
    team.add_member(mission, expert, TeamRole.HEAD, actor=people["trainer"])
    mission.status = ActivityStatus.COMPLETED
    db.session.commit()
    page = text(login_as("trainer").get(hub(mission)))
    assert "Ada Expert" in page and "Head of mission" in page
    assert "is also booked for" not in page and "This mission is over" in page


def test_adding_through_the_search_form_works_without_script(login_as, mission):
    client = login_as("trainer")
    expert = make_expert("Bea Roster")
    page = text(client.get(hub(mission), query_string={"q": "bea"}))
    assert "Bea Roster" in page and f'name="person_id" value="{expert.id}"' in page
    response = post_form(client, f"{hub(mission)}/members", {"person_id": expert.id, "role": "head"},
                         token_from=hub(mission), follow_redirects=True)
    page = text(response)
    assert "Bea Roster is on the team as Head of mission and has been sent the invitation." in page
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_address == expert.email))
    # The head is chosen: the form no longer offers the role to the next person found.
    make_expert("Bea Second")
    page = text(client.get(hub(mission), query_string={"q": "bea second"}))
    assert 'value="head"' not in page


def test_a_clash_warning_is_flashed_on_adding(login_as, mission):
    expert = make_expert("Cy Busy")
    services.register(make_activity(title="Clerks' seminar", sessions=one_session(20)).id, expert)
    response = post_form(login_as("trainer"), f"{hub(mission)}/members", {"person_id": expert.id, "role": "expert"},
                         token_from=hub(mission), follow_redirects=True)
    assert "Cy Busy is also booked for “Clerks&#39; seminar” at the same time." in text(response)


def test_refusals_are_said_on_the_hub(login_as, mission):
    client = login_as("trainer")
    outsider = make_person(full_name="No Roster")
    response = post_form(client, f"{hub(mission)}/members", {"person_id": outsider.id, "role": "expert"},
                         token_from=hub(mission), follow_redirects=True)
    assert "Only people with an active expert profile can join a mission as head or expert." in text(response)
    for data in ({"person_id": "x", "role": "expert"}, {"person_id": outsider.id, "role": "boss"},
                 {"person_id": 2**31 - 2, "role": "expert"}):
        response = post_form(client, f"{hub(mission)}/members", data, token_from=hub(mission))
        assert response.status_code == 302
    assert db.session.scalar(select(func.count(MissionTeamMember.id))) == 0


def test_removing_a_member(login_as, mission, people):
    member = team.add_member(mission, make_expert("Dee Gone"), TeamRole.EXPERT, actor=people["trainer"]).member
    client = login_as("trainer")
    response = post_form(client, f"{hub(mission)}/members/{member.id}/remove", token_from=hub(mission),
                         follow_redirects=True)
    assert "Dee Gone is no longer on the team and has been told." in text(response)
    assert db.session.scalar(select(func.count(MissionTeamMember.id))) == 0


def test_posts_need_the_form_token(login_as, mission, people):
    member = team.add_member(mission, make_expert(), TeamRole.EXPERT, actor=people["trainer"]).member
    client = login_as("trainer")
    assert client.post(f"{hub(mission)}/members/{member.id}/remove").status_code in (400, 403)
    assert client.post(f"{hub(mission)}/members", data={"person_id": member.person_id}).status_code in (302, 400, 403)
    assert db.session.scalar(select(func.count(MissionTeamMember.id))) == 1


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_learners_and_focal_points_are_refused(login_as, mission, people, role):
    member = team.add_member(mission, make_expert(), TeamRole.EXPERT, actor=people["trainer"]).member
    client = login_as(role)
    token = csrf_token(client)
    assert client.get("/manage/missions").status_code == 403
    assert client.get(hub(mission)).status_code == 403
    assert client.post(f"{hub(mission)}/members", data={"csrf_token": token, "person_id": member.person_id,
                                                         "role": "head"}).status_code == 403
    assert client.post(f"{hub(mission)}/members/{member.id}/remove", data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(func.count(MissionTeamMember.id))) == 1


def test_another_activitys_trainer_is_refused(app, login_as, mission, people):
    member = team.add_member(mission, make_expert("Eve Kept"), TeamRole.EXPERT, actor=people["trainer"]).member
    other = make_person(role=people["trainer"].role, email="other.trainer@example.org")
    from tests.factories import PASSWORD
    from tests.helpers import sign_in
    client = app.test_client()
    sign_in(client, other.email, PASSWORD)
    token = csrf_token(client)
    page = client.get(hub(mission))
    assert page.status_code == 403 and "Eve Kept" not in text(page)
    newcomer = make_expert("Fay New")
    assert client.post(f"{hub(mission)}/members", data={"csrf_token": token, "person_id": newcomer.id,
                                                         "role": "expert"}).status_code == 403
    assert client.post(f"{hub(mission)}/members/{member.id}/remove", data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(func.count(MissionTeamMember.id))) == 1


def test_a_member_of_another_mission_is_not_found(login_as, mission, people):
    elsewhere = make_mission(title="Elsewhere")
    member = team.add_member(elsewhere, make_expert(), TeamRole.EXPERT, actor=people["admin"]).member
    response = post_form(login_as("trainer"), f"{hub(mission)}/members/{member.id}/remove", token_from=hub(mission))
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(MissionTeamMember.id))) == 1
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "mission_member_removed")) == 0


def test_an_activity_that_is_no_mission_has_no_hub(admin_client):
    assert admin_client.get(f"/manage/missions/{make_activity().id}").status_code == 404
    assert admin_client.get("/manage/missions/999999").status_code == 404


def test_the_list_splits_upcoming_and_past_missions(admin_client, mission):
    past = make_mission(title="Finished assessment", modality=Modality.NEEDS_ASSESSMENT_MISSION)
    from elearn.database import utcnow
    past.ends_at = utcnow() - timedelta(days=1)
    db.session.commit()
    make_activity(title="A plain seminar")
    upcoming = text(admin_client.get("/manage/missions"))
    assert "Budget office assistance" in upcoming and "Finished assessment" not in upcoming
    assert "A plain seminar" not in upcoming
    earlier = text(admin_client.get("/manage/missions?when=past"))
    assert "Finished assessment" in earlier and "Budget office assistance" not in earlier
    assert admin_client.get("/manage/missions?when=<x>&page=99").status_code == 200


def test_the_activity_page_links_to_the_hub_for_missions_only(login_as, mission):
    client = login_as("trainer")
    assert "Mission team and work" in text(client.get(f"/manage/activities/{mission.id}"))
    assert "Mission team and work" not in text(client.get(f"/manage/activities/{make_activity().id}"))
    assert 'href="/manage/missions"' in text(client.get("/manage/activities"))


def test_names_are_escaped(login_as, mission, people):
    team.add_member(mission, make_expert("<script>alert(1)</script>"), TeamRole.EXPERT, actor=people["trainer"])
    page = text(login_as("trainer").get(hub(mission)))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_cancelled_mission_offers_no_changes(login_as, mission, people):
    team.add_member(mission, make_expert(), TeamRole.EXPERT, actor=people["trainer"])
    services.set_status(mission, ActivityStatus.CANCELLED)
    page = text(login_as("trainer").get(hub(mission)))
    assert "This mission is cancelled." in page and "Remove" not in page


def test_a_member_who_withdrew_is_shown_so(login_as, mission, people):
    member = team.add_member(mission, make_expert("Gil Gone"), TeamRole.EXPERT, actor=people["trainer"]).member
    services.withdraw(member.registration)
    page = text(login_as("trainer").get(hub(mission)))
    assert "Gil Gone" in page and "Registration: withdrawn" in page
