"""Trainers' rosters and attendance through the API: who may read them, and marks written as the web sheet writes."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.api.scopes import Scope
from elearn.api.tokens import TokenError, create_token
from elearn.database import utcnow
from elearn.extensions import db
from elearn.scheduling.events import attendance_recorded
from elearn.scheduling.models import ActivityStatus, Attendance, AttendanceStatus, Registration, RegistrationState
from tests import factories
from tests.api.helpers import all_pages, api_as, bearer, token_for
from tests.helpers import count_queries, post_form
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_activity


def _started_activity(sessions: int = 2):
    """A published activity whose sessions (one hour each, UTC) began a few days ago."""
    now = utcnow().replace(tzinfo=None, minute=0, second=0, microsecond=0)
    spans = [(now - timedelta(days=5 - n), now - timedelta(days=5 - n) + timedelta(hours=1)) for n in range(sessions)]
    return make_held_activity(spans, timezone="UTC", status=ActivityStatus.PUBLISHED)


@pytest.fixture
def course(app):
    """A started activity with three confirmed participants (one nominated) and one on the waiting list."""
    activity = _started_activity()
    parliament = factories.make_parliament(name_en="Assembly of Lomé")
    focal = factories.make_person(Role.FOCAL_POINT, parliament=parliament)
    people = [factories.make_person(full_name=f"Participant {n}", parliament=parliament) for n in range(3)]
    registrations = [attend(activity, person) for person in people]
    registrations[0].nominated_by_id = focal.id
    waiting = Registration(activity_id=activity.id, person_id=factories.make_person(full_name="Waiting").id,
                           state=RegistrationState.WAITLISTED, waitlist_position=1)
    db.session.add(waiting)
    db.session.commit()
    return {"activity": activity, "registrations": registrations, "waiting": waiting, "people": people}


def marks_of(session_id: int) -> dict[int, str]:
    return {a.registration_id: a.status.value for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session_id))}


# Reading a roster --------------------------------------------------------------------------

def test_a_trainer_token_reads_a_roster_page_by_page(app, people, course):
    api = api_as(app, people["trainer"], Scope.READ_REPORTS)
    items = all_pages(api, f"/api/v1/activities/{course['activity'].id}/roster", limit=2)
    assert [i["registration_id"] for i in items] == sorted(
        r.id for r in course["registrations"] + [course["waiting"]])
    first = next(i for i in items if i["registration_id"] == course["registrations"][0].id)
    assert first["full_name"] == "Participant 0" and first["nominated"] is True and first["state"] == "confirmed"
    assert first["parliament_id"] == course["people"][0].parliament_id and first["kind"] == "staff"
    waiting = next(i for i in items if i["registration_id"] == course["waiting"].id)
    assert waiting["state"] == "waitlisted" and waiting["waitlist_position"] == 1 and waiting["nominated"] is False


def test_the_roster_filters_as_the_web_roster_and_names_a_bad_filter(app, people, course):
    api = api_as(app, people["trainer"], Scope.READ_REPORTS)
    url = f"/api/v1/activities/{course['activity'].id}/roster"
    waiting = api.get(url, query_string={"state": "waitlisted"}).get_json()["items"]
    assert [i["registration_id"] for i in waiting] == [course["waiting"].id]
    response = api.get(url, query_string={"state": "nonsense"})
    assert response.status_code == 422 and "state" in response.get_json()["errors"]["query"]


def test_hours_attended_count_the_sessions_marked_present(app, people, course):
    activity, registration = course["activity"], course["registrations"][1]
    db.session.add(Attendance(registration_id=registration.id, session_id=activity.sessions[0].id,
                              status=AttendanceStatus.PRESENT))
    db.session.commit()
    api = api_as(app, people["admin"], Scope.READ_REPORTS)
    items = api.get(f"/api/v1/activities/{activity.id}/roster").get_json()["items"]
    assert {i["registration_id"]: i["hours_attended"] for i in items}[registration.id] == 1.0


def test_a_roster_page_costs_the_same_statements_however_many_people(app, people):
    small, large = _started_activity(), _started_activity()
    for _n in range(2):
        attend(small, factories.make_person(), AttendanceStatus.PRESENT)
    for _n in range(12):
        attend(large, factories.make_person(), AttendanceStatus.PRESENT)
    api = api_as(app, people["trainer"], Scope.READ_REPORTS)
    api.get(f"/api/v1/activities/{small.id}/roster")  # the token's first use is noted once
    counts = []
    for activity in (small, large):
        with count_queries() as counter:
            assert api.get(f"/api/v1/activities/{activity.id}/roster").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_unknown_activity_and_session_are_404(app, people):
    api = api_as(app, people["trainer"], Scope.READ_REPORTS, Scope.WRITE_ATTENDANCE)
    assert api.get("/api/v1/activities/999999/roster").status_code == 404
    assert api.get("/api/v1/sessions/999999/attendance").status_code == 404
    response = api.put("/api/v1/sessions/999999/attendance",
                       json={"marks": [{"registration_id": 1, "status": "present"}]})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


# Who may read ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_learners_and_focal_points_cannot_hold_read_reports(people, role):
    with pytest.raises(TokenError):
        create_token(people[role], "partner system", [Scope.READ_REPORTS], 30)


def test_a_learner_signed_in_is_refused_and_an_anonymous_caller_asked_to_sign_in(login_as, client, course):
    url = f"/api/v1/activities/{course['activity'].id}/roster"
    assert login_as("learner").get(url).status_code == 403
    assert login_as("focal_point").get(url).status_code == 403
    assert client.get(url).status_code == 401


def test_a_trainer_lowered_to_learner_loses_the_scope_of_an_existing_token(app, client, course):
    trainer = factories.make_person(Role.TRAINER)
    secret = token_for(trainer, Scope.READ_REPORTS)
    url = f"/api/v1/activities/{course['activity'].id}/roster"
    assert client.get(url, headers=bearer(secret)).status_code == 200
    trainer.role = Role.LEARNER
    db.session.commit()
    response = client.get(url, headers=bearer(secret))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"


def test_a_token_without_write_attendance_cannot_record(app, people, course):
    api = api_as(app, people["trainer"], Scope.READ_REPORTS)
    session = course["activity"].sessions[0]
    response = api.put(f"/api/v1/sessions/{session.id}/attendance",
                       json={"marks": [{"registration_id": course["registrations"][0].id, "status": "present"}]})
    assert response.status_code == 403
    assert marks_of(session.id) == {}


# Recording attendance ----------------------------------------------------------------------

def test_marks_put_are_written_as_the_web_sheet_writes_them_and_a_second_put_changes_them(
        app, people, login_as, course):
    first, second = course["activity"].sessions
    ids = [r.id for r in course["registrations"]]
    statuses = ["present", "absent", "excused"]
    browser = login_as("trainer")
    response = post_form(browser, f"/manage/sessions/{first.id}/attendance",
                         {f"mark-{i}": status for i, status in zip(ids, statuses, strict=True)},
                         token_from=f"/manage/sessions/{first.id}/attendance")
    assert response.status_code == 302
    sent = []
    attendance_recorded.connect(receiver := lambda session, **kw: sent.append((session.id, kw["registration_ids"])))
    try:
        api = api_as(app, people["trainer"], Scope.WRITE_ATTENDANCE, Scope.READ_REPORTS)
        response = api.put(f"/api/v1/sessions/{second.id}/attendance", json={"marks": [
            {"registration_id": i, "status": status} for i, status in zip(ids, statuses, strict=True)]})
    finally:
        attendance_recorded.disconnect(receiver)
    assert response.status_code == 200, response.get_json()
    assert [(m["registration_id"], m["status"]) for m in response.get_json()["marks"]] == list(zip(ids, statuses, strict=True))
    assert marks_of(second.id) == marks_of(first.id) == dict(zip(ids, statuses, strict=True))
    assert sent == [(second.id, sorted(ids))]
    assert response.get_json()["marks"][0]["recorded_at"].endswith("+00:00")

    again = api.put(f"/api/v1/sessions/{second.id}/attendance",
                    json={"marks": [{"registration_id": ids[1], "status": "present"}]})
    assert again.status_code == 200
    assert marks_of(second.id) == {ids[0]: "present", ids[1]: "present", ids[2]: "excused"}
    listed = all_pages(api, f"/api/v1/sessions/{second.id}/attendance", limit=2)
    assert [(m["registration_id"], m["status"]) for m in listed] == [
        (ids[0], "present"), (ids[1], "present"), (ids[2], "excused")]


def test_before_the_session_starts_the_marks_are_refused_and_nothing_is_written(app, people):
    activity = make_activity()
    registration = Registration(activity_id=activity.id, person_id=people["learner"].id,
                                state=RegistrationState.CONFIRMED)
    db.session.add(registration)
    db.session.commit()
    session = activity.sessions[0]
    api = api_as(app, people["trainer"], Scope.WRITE_ATTENDANCE)
    response = api.put(f"/api/v1/sessions/{session.id}/attendance",
                       json={"marks": [{"registration_id": registration.id, "status": "present"}]})
    assert response.status_code == 409
    assert "once the session has started" in response.get_json()["detail"]
    assert marks_of(session.id) == {}


def test_a_registration_of_another_activity_refuses_every_mark(app, people, course):
    other = _started_activity(sessions=1)
    stranger = attend(other, factories.make_person())
    session = course["activity"].sessions[0]
    mine = course["registrations"][0].id
    api = api_as(app, people["trainer"], Scope.WRITE_ATTENDANCE)
    response = api.put(f"/api/v1/sessions/{session.id}/attendance", json={"marks": [
        {"registration_id": mine, "status": "present"}, {"registration_id": stranger.id, "status": "present"}]})
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["marks"] == {
        "1": {"registration_id": ["Attendance can be recorded only for confirmed participants."]}}
    waiting = api.put(f"/api/v1/sessions/{session.id}/attendance",
                      json={"marks": [{"registration_id": course["waiting"].id, "status": "present"}]})
    assert waiting.status_code == 422
    assert marks_of(session.id) == {}


@pytest.mark.parametrize("body", [
    {}, {"marks": []}, {"marks": [{"registration_id": 1, "status": "late"}]},
    {"marks": [{"registration_id": 2 ** 40, "status": "present"}]},
    {"marks": [{"registration_id": "1", "status": "present"}]},
    {"marks": [{"registration_id": 1, "status": "present"}, {"registration_id": 1, "status": "absent"}]},
])
def test_malformed_marks_are_named_field_by_field(app, people, course, body):
    session = course["activity"].sessions[0]
    api = api_as(app, people["trainer"], Scope.WRITE_ATTENDANCE)
    response = api.put(f"/api/v1/sessions/{session.id}/attendance", json=body)
    assert response.status_code == 422
    assert "json" in response.get_json()["errors"]
    assert marks_of(session.id) == {}


def test_a_signed_in_trainer_cannot_put_marks_without_the_csrf_header(login_as, course):
    session = course["activity"].sessions[0]
    response = login_as("trainer").put(f"/api/v1/sessions/{session.id}/attendance", json={
        "marks": [{"registration_id": course["registrations"][0].id, "status": "present"}]})
    assert response.status_code == 400
    assert marks_of(session.id) == {}


def test_session_marks_answer_304_when_unchanged(app, people, course):
    api = api_as(app, people["trainer"], Scope.READ_REPORTS)
    url = f"/api/v1/sessions/{course['activity'].sessions[0].id}/attendance"
    first = api.get(url)
    assert first.get_json() == {"items": [], "next_cursor": None}
    assert api.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

