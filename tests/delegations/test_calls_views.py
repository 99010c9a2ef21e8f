"""The pages of calls for applications: who reaches each, object access (IDOR), bad input, the side restriction."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.delegations import calls, selection
from elearn.delegations.calls_models import Application, ApplicationStatus, Call
from elearn.extensions import db
from elearn.people.models import Gender, PoliticalSide
from elearn.scheduling.models import ActivityStatus
from tests import factories
from tests.delegations.calls_factories import answers, applied, candidate, count, member, open_call
from tests.helpers import post_form, sign_in, text


@pytest.fixture
def call(people):
    return open_call(trainer=people["trainer"], capacity=2)


@pytest.fixture
def other_trainer_client(app):
    person = factories.make_person(Role.TRAINER, email="other-trainer@example.org")
    client = app.test_client()
    sign_in(client, person.email, factories.PASSWORD)
    return client


def side_reads() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == AuditAction.POLITICAL_SIDE_READ))


# The candidate's side ---------------------------------------------------------------------------

def test_the_listing_shows_open_calls_and_ones_own_applications(call, learner_client, people):
    page = text(learner_client.get("/calls/"))
    assert call.activity.title in page and f"/calls/{call.id}/apply" in page
    assert "Propose colleagues" not in page
    applied(call, people["learner"])
    page = text(learner_client.get("/calls/"))
    assert "You have applied." in page and "submitted" in page


def test_the_listing_needs_a_sign_in(client, call):
    assert "/account/login" in client.get("/calls/").headers["Location"]


def test_a_candidate_applies_through_the_form(call, learner_client, people):
    url = f"/calls/{call.id}/apply"
    page = text(learner_client.get(url))
    assert "Motivation" in page and "Which committee do you work for?" in page
    data = {key: "My reasons" for key in answers(call)}
    response = post_form(learner_client, url, data)
    assert response.status_code == 302
    application = db.session.scalar(select(Application))
    assert application.person_id == people["learner"].id and application.answers["motivation"] == "My reasons"
    again = post_form(learner_client, url, data)
    assert "already applied" in text(again) and count(Application) == 1


def test_an_application_after_the_deadline_is_refused_with_the_deadline_named(call, learner_client):
    url = f"/calls/{call.id}/apply"
    data = {key: "Late" for key in answers(call)}
    call.opens_at, call.deadline = call.opens_at - timedelta(days=5), utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = post_form(learner_client, url, data)
    assert response.status_code == 200 and "The deadline for applications was" in text(response)
    assert count(Application) == 0


def test_a_missing_answer_is_shown_under_its_question(call, learner_client):
    data = {key: "x" for key in answers(call)}
    data["languages"] = ""
    response = post_form(learner_client, f"/calls/{call.id}/apply", data)
    assert "Please answer this question." in text(response) and count(Application) == 0


def test_the_call_of_a_draft_activity_is_not_found(people, learner_client):
    call = open_call(trainer=people["trainer"], status=ActivityStatus.DRAFT)
    assert learner_client.get(f"/calls/{call.id}/apply").status_code == 404


def test_only_the_candidate_withdraws_their_application(call, people, login_as):
    application = applied(call, people["learner"])
    url = f"/applications/{application.id}/withdraw"
    assert post_form(login_as("focal_point"), "/calls" + url).status_code == 404
    assert post_form(login_as("learner"), "/calls" + url).status_code == 302
    assert db.session.get(Application, application.id).status == ApplicationStatus.WITHDRAWN


# The focal point's side -------------------------------------------------------------------------

def test_a_focal_point_proposes_a_colleague(call, people, login_as):
    focal = login_as("focal_point")
    colleague = candidate(people["focal_point"].parliament)
    page = text(focal.get(f"/calls/{call.id}/propose"))
    assert colleague.full_name in page and "Propose colleagues" in text(focal.get("/calls/"))
    url = f"/calls/{call.id}/propose/{colleague.id}"
    response = post_form(focal, url, {key: "Proposed" for key in answers(call)})
    assert response.status_code == 302
    application = db.session.scalar(select(Application))
    assert (application.person_id, application.proposed_by_id) == (colleague.id, people["focal_point"].id)


def test_another_parliaments_person_cannot_be_proposed(call, login_as):
    stranger = candidate()
    focal = login_as("focal_point")
    assert focal.get(f"/calls/{call.id}/propose/{stranger.id}").status_code == 404
    response = post_form(focal, f"/calls/{call.id}/propose/{stranger.id}", {key: "x" for key in answers(call)})
    assert response.status_code == 404 and count(Application) == 0
    assert stranger.full_name not in text(focal.get(f"/calls/{call.id}/propose"))


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_only_focal_points_propose(call, people, login_as, role):
    colleague = candidate(people["focal_point"].parliament)
    client = login_as(role)
    assert client.get(f"/calls/{call.id}/propose").status_code == 403
    assert client.get(f"/calls/{call.id}/propose/{colleague.id}").status_code == 403


# The trainer's side -----------------------------------------------------------------------------

def test_the_trainer_of_the_activity_opens_a_call(people, login_as):
    from tests.scheduling.factories import make_activity
    activity = make_activity(trainer_ids=(people["trainer"].id,))
    client = login_as("trainer")
    url = f"/manage/activities/{activity.id}/call"
    assert client.get(f"/manage/activities/{activity.id}/applications").headers["Location"].endswith(url)
    start = activity.starts_at.astimezone(activity.zone)
    data = {"opens_at": (start - timedelta(days=15)).strftime("%Y-%m-%dT%H:%M"),
            "deadline": (start - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "intro": "Come.", "standard_questions": ["motivation", "prior_training"],
            "custom_questions": "First?\nSecond?", "women_min_percent": "40"}
    response = post_form(client, url, data)
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert call.standard_questions == ["motivation", "prior_training"] and len(call.questions) == 2
    assert call.deadline.astimezone(activity.zone).strftime("%Y-%m-%dT%H:%M") == data["deadline"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.CALL_SAVED))
    bad = post_form(client, url, {**data, "deadline": data["opens_at"]})
    assert "The deadline must come after the opening." in text(bad)
    assert "The activity&#39;s overview" not in text(bad)


def test_the_overview_links_to_the_call(call, login_as):
    page = text(login_as("trainer").get(f"/manage/activities/{call.activity_id}"))
    assert f"/manage/activities/{call.activity_id}/applications" in page


@pytest.mark.parametrize("path", ["call", "applications"])
def test_trainer_pages_refuse_other_roles_and_other_trainers(call, login_as, other_trainer_client, path):
    url = f"/manage/activities/{call.activity_id}/{path}"
    assert login_as("learner").get(url).status_code == 403
    assert login_as("focal_point").get(url).status_code == 403
    assert other_trainer_client.get(url).status_code == 403
    assert login_as("admin").get(url).status_code == 200


def test_the_table_lists_applications_with_answers_and_the_balance(call, people, login_as):
    applied(call, candidate(factories.make_parliament(name_en="Senegal"), gender=Gender.WOMAN))
    page = text(login_as("trainer").get(f"/manage/activities/{call.activity_id}/applications"))
    assert "Senegal" in page and "Woman" in page and "An answer." in page and "submitted" in page
    assert "0 selected for 2 seats." in page


def test_deciding_from_the_table(call, people, login_as):
    application = applied(call, candidate())
    client = login_as("trainer")
    url = f"/manage/activities/{call.activity_id}/applications/{application.id}/decision"
    response = post_form(client, url, {"decision": "declined", "reason": ""})
    assert response.status_code == 302
    assert db.session.get(Application, application.id).status == ApplicationStatus.SUBMITTED
    page = text(client.get(response.headers["Location"]))
    assert "Give the reason for declining" in page
    post_form(client, url, {"decision": "selected"})
    assert db.session.get(Application, application.id).status == ApplicationStatus.SELECTED
    assert "1 selected for 2 seats." in text(client.get(f"/manage/activities/{call.activity_id}/applications"))


def test_too_many_selected_is_refused_on_the_table(people, login_as):
    call = open_call(trainer=people["trainer"], capacity=1)
    first, second = applied(call, candidate()), applied(call, candidate())
    client = login_as("trainer")
    base = f"/manage/activities/{call.activity_id}/applications"
    post_form(client, f"{base}/{first.id}/decision", {"decision": "selected"})
    response = post_form(client, f"{base}/{second.id}/decision", {"decision": "selected"})
    assert "All 1 seats are taken" in text(client.get(response.headers["Location"]))
    assert db.session.get(Application, second.id).status == ApplicationStatus.SUBMITTED


def test_another_activitys_application_is_not_found(call, people, login_as):
    elsewhere = open_call(trainer=people["trainer"])
    application = applied(elsewhere, candidate())
    url = f"/manage/activities/{call.activity_id}/applications/{application.id}/decision"
    assert post_form(login_as("trainer"), url, {"decision": "selected"}).status_code == 404
    assert db.session.get(Application, application.id).status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_deciding_refuses_other_roles(call, login_as, role, other_trainer_client):
    application = applied(call, candidate())
    url = f"/manage/activities/{call.activity_id}/applications/{application.id}/decision"
    assert post_form(login_as(role), url, {"decision": "selected"}).status_code == 403
    assert post_form(other_trainer_client, url, {"decision": "selected"}).status_code == 403
    assert db.session.get(Application, application.id).status == ApplicationStatus.SUBMITTED


# Political sides ----------------------------------------------------------------------------------

def select_person(call, person, trainer):
    selection.decide(applied(call, person), ApplicationStatus.SELECTED, actor=trainer)


def test_a_trainer_sees_no_side_of_a_small_group_and_an_admin_does_with_an_audit_row(people, login_as):
    call = open_call(trainer=people["trainer"], target=calls.TargetInput(both_sides_required=True))
    select_person(call, member(side=PoliticalSide.RULING), people["trainer"])
    select_person(call, member(side=PoliticalSide.OPPOSITION), people["trainer"])
    url = f"/manage/activities/{call.activity_id}/applications"
    page = text(login_as("trainer").get(url))
    assert "Selected members by political side" not in page and "Ruling majority" not in page
    assert "cannot be checked" in page and side_reads() == 0
    page = text(login_as("admin").get(url))
    assert "Selected members by political side" in page and "Ruling majority" in page
    assert side_reads() == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.POLITICAL_SIDE_READ))
    assert event.object_type == "call" and event.details["aggregate"] is True


def test_a_trainer_sees_side_counts_when_each_side_counts_the_minimum(people, login_as):
    call = open_call(trainer=people["trainer"], capacity=10)
    for side in [PoliticalSide.RULING] * 3 + [PoliticalSide.OPPOSITION] * 3:
        select_person(call, member(side=side), people["trainer"])
    page = text(login_as("trainer").get(f"/manage/activities/{call.activity_id}/applications"))
    assert "Selected members by political side" in page and "Opposition" in page
    # Never one person's side: the table of applications has no side column.
    assert "Side</th>" not in page.split('id="table-applications"')[1]


def test_the_listing_leaves_out_calls_one_may_not_apply_to(people, login_as):
    from elearn.scheduling.models import Audience

    for_members = open_call(trainer=people["trainer"], audience=Audience.MPS)
    assert for_members.activity.title not in text(login_as("learner").get("/calls/"))  # the learner is staff
    # A focal point sees it all the same, to propose the members of their parliament.
    assert for_members.activity.title in text(login_as("focal_point").get("/calls/"))


def test_a_new_call_suggests_its_dates(people, login_as):
    from tests.scheduling.factories import make_activity

    activity = make_activity(trainer_ids=(people["trainer"].id,))
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}/call"))
    assert re.search(r'<input[^>]*id="deadline"[^>]*value="20\d\d-', page), re.findall(r'<input[^>]*deadline[^>]*>', page)


def test_a_trainer_sets_a_programmes_targets(people, login_as):
    from elearn.delegations import balance as balances
    from tests.scheduling.factories import make_programme

    programme = make_programme()
    call = open_call(trainer=people["trainer"], programme=programme)
    client = login_as("trainer")
    url = f"/manage/programmes/{programme.id}/selection-targets"
    assert f"/manage/programmes/{programme.id}/selection-targets" in text(
        client.get(f"/manage/programmes/{programme.id}"))
    bad = post_form(client, url, {"women_min_percent": "140"})
    assert bad.status_code == 200 and balances.target_for(call.activity) is None
    assert post_form(client, url, {"women_min_percent": "45", "both_sides_required": "y"}).status_code == 302
    target = balances.target_for(call.activity)
    assert (target.programme_id, target.women_min_percent, target.both_sides_required) == (programme.id, 45, True)
    post_form(client, url, {})  # emptied: the programme has no targets any more
    assert balances.target_for(call.activity) is None


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_programme_targets_refuse_other_roles(login_as, role):
    from tests.scheduling.factories import make_programme

    programme = make_programme()
    assert login_as(role).get(f"/manage/programmes/{programme.id}/selection-targets").status_code == 403
