"""The check-in page without JavaScript, the scanners' JSON endpoint, and the helpers page, over HTTP."""
from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.extensions import db
from elearn.onsite import tickets
from elearn.onsite.models import CheckInHelper, CheckInScan
from elearn.scheduling.models import Attendance
from tests import factories
from tests.helpers import csrf_token, frozen_clock, post_form, sign_in, text
from tests.onsite.factories import participant, two_day_activity


@pytest.fixture
def door(app, people):
    """An activity taught by the sample trainer, a confirmed participant, and the clock in its first session."""
    activity = two_day_activity(trainer_ids=[people["trainer"].id], title="Committee work seminar")
    registration, code = participant(activity, full_name="Fatou Ceesay",
                                     parliament=people["learner"].parliament)
    return activity, registration, code


def test_a_typed_code_checks_in_and_the_page_says_who(app, login_as, door):
    activity, registration, code = door
    page = f"/check-in/{activity.id}"
    with frozen_clock(activity.sessions[0].starts_at + timedelta(minutes=2)):
        client = login_as("trainer")  # signed in at the door: a session of today
        form = text(client.get(page))
        assert re.search(r'<input[^>]*autocomplete="off"[^>]*autofocus|<input[^>]*autofocus[^>]*autocomplete="off"',
                         form)
        assert "0 of 1 confirmed participant checked in" in form
        response = post_form(client, page, {"code": tickets.grouped(code)}, token_from=page)
        assert response.status_code == 302 and response.headers["Location"].endswith(page)
        shown = text(client.get(page))
    assert "Checked in" in shown and "Fatou Ceesay" in shown and "National Assembly of The Gambia" in shown
    assert "1 of 1 confirmed participant checked in" in shown
    assert db.session.scalar(select(func.count(Attendance.id))) == 1
    [stored] = db.session.scalars(select(CheckInScan)).all()
    uuid.UUID(stored.scan_id)  # the server made the form's scan id


def scans_call(client, activity_id, scans, token=None):
    token = token or csrf_token(client, f"/check-in/{activity_id}")
    return client.post(f"/check-in/{activity_id}/scans", data=json.dumps({"scans": scans}),
                       content_type="application/json", headers={"X-CSRFToken": token})


def test_the_json_endpoint_answers_each_scan_in_order_and_replays_once(app, login_as, door):
    activity, registration, code = door
    at = activity.sessions[0].starts_at + timedelta(minutes=1)
    scans = [{"scan_id": "s-1", "code": code, "scanned_at": at.isoformat().replace("+00:00", "Z")},
             {"scan_id": "s-2", "code": "ZZZZ", "scanned_at": at.isoformat()}]
    with frozen_clock(at + timedelta(minutes=5)):
        client = login_as("trainer")
        first = scans_call(client, activity.id, scans)
        again = scans_call(client, activity.id, scans[:1])
    assert first.status_code == 200
    results = first.get_json()["results"]
    assert [(r["scan_id"], r["outcome"], r["reason"]) for r in results] == [
        ("s-1", "recorded", ""), ("s-2", "refused", "unknown")]
    assert results[0]["name"] == "Fatou Ceesay" and results[0]["message"].startswith("Fatou Ceesay checked in")
    assert again.get_json()["results"][0] | {"replayed": None} == results[0] | {"replayed": None}
    assert again.get_json()["results"][0]["replayed"] is True
    # The page's running count comes with each answer, so a scanner's page keeps up without reloading.
    assert first.get_json()["count"] == {"checked_in": 1, "confirmed": 1,
                                         "text": "1 of 1 confirmed participant checked in"}


def test_bad_batches_are_problems_with_clear_messages(app, login_as, door):
    activity, registration, code = door
    client = login_as("trainer")
    token = csrf_token(client, f"/check-in/{activity.id}")
    too_many = [{"scan_id": f"s{n}", "code": code, "scanned_at": "2030-01-01T00:00:00Z"} for n in range(201)]
    big = scans_call(client, activity.id, too_many, token)
    assert big.status_code == 413 and "At most 200 scans" in big.get_json()["detail"]
    bad = scans_call(client, activity.id, [{"scan_id": "", "code": code, "scanned_at": "yesterday"}], token)
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert set(bad.get_json()["errors"]) == {"scans[0].scan_id", "scans[0].scanned_at"}
    no_token = client.post(f"/check-in/{activity.id}/scans", json={"scans": []})
    assert no_token.status_code == 400 and "reload the check-in page" in no_token.get_json()["detail"]
    assert db.session.scalar(select(func.count(CheckInScan.id))) == 0


def test_the_scanners_language_words_the_results(app, login_as, door, people):
    activity, registration, code = door
    people["trainer"].preferred_language = "fr"
    db.session.commit()
    at = activity.sessions[0].starts_at
    with frozen_clock(at):
        client = login_as("trainer")
        result = scans_call(client, activity.id, [{"scan_id": "x", "code": "nope", "scanned_at": at.isoformat()}])
    assert "Aucun billet" in result.get_json()["results"][0]["message"]


def test_the_activity_page_and_the_dashboard_lead_to_the_check_in(app, login_as, door, people):
    activity, registration, code = door
    trainer = login_as("trainer")
    overview = text(trainer.get(f"/manage/activities/{activity.id}"))
    assert f'href="/check-in/{activity.id}"' in overview and f'href="/check-in/{activity.id}/helpers"' in overview
    other_trainer = factories.make_person(Role.TRAINER)
    other = app.test_client()
    sign_in(other, other_trainer.email, factories.PASSWORD)
    assert f'href="/check-in/{activity.id}"' not in text(other.get(f"/manage/activities/{activity.id}"))
    db.session.add(CheckInHelper(activity_id=activity.id, person_id=people["learner"].id))
    db.session.commit()
    with frozen_clock(activity.sessions[0].starts_at - timedelta(hours=3)):  # the morning of the first day
        dashboard = text(login_as("learner").get("/dashboard"))
    assert "Check-in today" in dashboard and f'href="/check-in/{activity.id}"' in dashboard
    assert "Check-in today" not in text(login_as("learner").get("/dashboard"))  # twenty days ahead: not yet
