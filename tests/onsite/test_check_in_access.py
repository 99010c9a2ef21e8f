"""Who may check people in at an activity: its trainers, administrators and its own helpers; nobody else, on
any check-in route. Only trainers and administrators name the helpers (audited)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.onsite.models import CheckInHelper
from tests import factories
from tests.helpers import csrf_token, post_form, sign_in, text
from tests.onsite.factories import two_day_activity


@pytest.fixture
def cast(app, people):
    """Activity A and B, each with its own trainer and helper; the sample learner works at neither."""
    trainer_b = factories.make_person(Role.TRAINER, email="trainer.b@example.org")
    activity_a = two_day_activity(trainer_ids=[people["trainer"].id])
    activity_b = two_day_activity(trainer_ids=[trainer_b.id])
    helper_a = factories.make_person(email="helper.a@example.org")
    helper_b = factories.make_person(email="helper.b@example.org")
    db.session.add_all([CheckInHelper(activity_id=activity_a.id, person_id=helper_a.id),
                        CheckInHelper(activity_id=activity_b.id, person_id=helper_b.id)])
    db.session.commit()
    helper_row = db.session.scalar(select(CheckInHelper.id).where(CheckInHelper.person_id == helper_a.id))
    return {"a": activity_a.id, "b": activity_b.id, "helper_row": helper_row,
            "emails": {"learner": "learner@example.org", "trainer_b": "trainer.b@example.org",
                       "helper_b": "helper.b@example.org", "helper_a": "helper.a@example.org",
                       "trainer_a": "trainer@example.org", "admin": "admin@example.org"}}


def client_for(app, cast, who):
    client = app.test_client()
    if who != "anonymous":
        assert sign_in(client, cast["emails"][who], factories.PASSWORD).status_code == 302
    return client


def call(client, route, cast):
    a = cast["a"]
    token = csrf_token(client)
    if route == "page":
        return client.get(f"/check-in/{a}")
    if route == "scan":
        return client.post(f"/check-in/{a}", data={"csrf_token": token, "code": "0000"})
    if route == "scans":
        return client.post(f"/check-in/{a}/scans", data=json.dumps({"scans": []}),
                           content_type="application/json", headers={"X-CSRFToken": token})
    if route == "helpers":
        return client.get(f"/check-in/{a}/helpers")
    if route == "add":
        return client.post(f"/check-in/{a}/helpers", data={"csrf_token": token, "email": "learner@example.org"})
    return client.post(f"/check-in/{a}/helpers/{cast['helper_row']}/remove", data={"csrf_token": token})


ROUTES = ("page", "scan", "scans", "helpers", "add", "remove")


@pytest.mark.parametrize("who", ["anonymous", "learner", "trainer_b", "helper_b"])
def test_people_without_a_part_in_the_activity_are_refused_on_every_route(app, cast, who):
    client = client_for(app, cast, who)
    for route in ROUTES:
        response = call(client, route, cast)
        if who == "anonymous" and route == "scans":
            assert response.status_code == 401 and "sign in again" in response.get_json()["detail"]
        elif who == "anonymous":
            assert response.status_code == 302 and "/account/login" in response.headers["Location"], route
        else:
            assert response.status_code == 403, (who, route, response.status_code)
    assert db.session.scalar(select(CheckInHelper.id).where(CheckInHelper.id == cast["helper_row"]))


def test_a_helper_checks_in_at_their_activity_and_does_nothing_else(app, cast):
    client = client_for(app, cast, "helper_a")
    expected = {"page": 200, "scan": 302, "scans": 200, "helpers": 403, "add": 403, "remove": 403}
    assert {route: call(client, route, cast).status_code for route in ROUTES} == expected
    assert "Check-in helpers" not in text(client.get(f"/check-in/{cast['a']}"))  # no link to a page they cannot open
    assert client.get(f"/manage/activities/{cast['a']}").status_code == 403  # not the roster
    assert client.get(f"/check-in/{cast['b']}").status_code == 403


@pytest.mark.parametrize("who", ["trainer_a", "admin"])
def test_the_activitys_trainer_and_administrators_may_do_everything(app, cast, who):
    client = client_for(app, cast, who)
    expected = {"page": 200, "scan": 302, "scans": 200, "helpers": 200, "add": 302, "remove": 302}
    assert {route: call(client, route, cast).status_code for route in ROUTES} == expected


def test_helpers_are_added_by_email_removed_and_audited(app, login_as, cast, people):
    client = login_as("trainer")
    page = f"/check-in/{cast['a']}/helpers"
    unknown = post_form(client, page, {"email": "nobody@example.org"}, token_from=page)
    assert unknown.status_code == 422 and "No account has this email address" in text(unknown)
    added = post_form(client, page, {"email": " Learner@Example.org "}, token_from=page)
    assert added.status_code == 302
    listing = text(client.get(page))
    assert people["learner"].full_name in listing
    twice = post_form(client, page, {"email": "learner@example.org"}, token_from=page)
    assert "already a check-in helper" in text(twice)
    trainer_too = post_form(client, page, {"email": "admin@example.org"}, token_from=page)
    assert "can already check people in" in text(trainer_too)
    # The new helper opens the check-in page at once.
    helper = login_as("learner")
    assert helper.get(f"/check-in/{cast['a']}").status_code == 200
    row = db.session.scalar(select(CheckInHelper).where(CheckInHelper.person_id == people["learner"].id))
    post_form(client, f"{page}/{row.id}/remove", token_from=page)
    assert helper.get(f"/check-in/{cast['a']}").status_code == 403
    events = db.session.execute(select(AuditEvent.action, AuditEvent.object_id, AuditEvent.details)
                                .where(AuditEvent.action.in_([AuditAction.CHECK_IN_HELPER_ADDED,
                                                              AuditAction.CHECK_IN_HELPER_REMOVED]))
                                .order_by(AuditEvent.id)).all()
    assert [(action, object_id, details["person_id"]) for action, object_id, details in events] == [
        (AuditAction.CHECK_IN_HELPER_ADDED, cast["a"], people["learner"].id),
        (AuditAction.CHECK_IN_HELPER_REMOVED, cast["a"], people["learner"].id)]
