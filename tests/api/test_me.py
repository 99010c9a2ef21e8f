"""The caller's own account through the API: registering and withdrawing through the same service as the web."""
from sqlalchemy import select

from elearn.access import Role
from elearn.api.scopes import Scope
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, Registration
from tests import factories
from tests.api.helpers import all_pages, api_as
from tests.helpers import count_queries, csrf_token, post_form
from tests.learning.factories import complete_course, enrol, make_course
from tests.scheduling.factories import make_activity

SELF = (Scope.READ_SELF, Scope.WRITE_SELF)


def mails_to(person) -> list[tuple[str, str]]:
    return [(m.kind, m.subject) for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == person.email).order_by(OutboxMessage.id))]


def test_the_profile_is_the_callers_own(app, people):
    body = api_as(app, people["learner"], Scope.READ_SELF).get("/api/v1/me").get_json()
    assert body["email"] == "learner@example.org" and body["role"] == "learner"
    assert body["parliament_id"] == people["learner"].parliament_id
    assert "political_side" not in body


def test_registering_through_the_api_queues_the_same_mail_as_the_web_form(app, people, login_as):
    activity = make_activity(capacity=5)
    colleague = factories.make_person(email="colleague@example.org", parliament=people["learner"].parliament)
    web = login_as("learner")
    post_form(web, f"/activities/{activity.id}/register", token_from=f"/activities/{activity.id}")
    response = api_as(app, colleague, *SELF).post("/api/v1/me/registrations/", json={"activity_id": activity.id})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["state"] == "confirmed" and body["activity"] == {"id": activity.id, "title": activity.title}
    assert body["nominated"] is False and body["created_at"].endswith("+00:00")
    assert mails_to(colleague) == mails_to(people["learner"]) != []


def test_a_full_activity_waitlists_and_twice_is_harmless(app, people):
    activity = make_activity(capacity=1)
    services.register(activity.id, factories.make_person(email="first@example.org"))
    api = api_as(app, people["learner"], *SELF)
    first = api.post("/api/v1/me/registrations/", json={"activity_id": activity.id})
    assert first.status_code == 201
    assert first.get_json()["state"] == "waitlisted" and first.get_json()["waitlist_position"] == 1
    again = api.post("/api/v1/me/registrations/", json={"activity_id": activity.id})
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert db.session.query(Registration).filter_by(person_id=people["learner"].id).count() == 1


def test_withdrawing_frees_the_seat_for_the_next_in_line(app, people):
    activity = make_activity(capacity=1)
    api = api_as(app, people["learner"], *SELF)
    mine = api.post("/api/v1/me/registrations/", json={"activity_id": activity.id}).get_json()
    waiting = factories.make_person(email="waiting@example.org")
    services.register(activity.id, waiting)
    response = api.delete(f"/api/v1/me/registrations/{mine['id']}")
    assert response.status_code == 200 and response.get_json()["state"] == "withdrawn"
    db.session.expire_all()
    promoted = db.session.scalar(select(Registration).where(Registration.person_id == waiting.id))
    assert promoted.state == "confirmed"
    assert mails_to(waiting)[-1][1].startswith("A seat is free for you")
    again = api.delete(f"/api/v1/me/registrations/{mine['id']}")
    assert again.status_code == 409 and again.get_json()["detail"] == "This registration is no longer active."


def test_an_activity_that_refuses_is_a_conflict_and_a_draft_does_not_exist(app, people):
    api = api_as(app, people["learner"], *SELF)
    cancelled = make_activity(status=ActivityStatus.CANCELLED)
    refused = api.post("/api/v1/me/registrations/", json={"activity_id": cancelled.id})
    assert refused.status_code == 409 and refused.get_json()["detail"] == "This activity is cancelled."
    draft = make_activity(status=ActivityStatus.DRAFT)
    assert api.post("/api/v1/me/registrations/", json={"activity_id": draft.id}).status_code == 404
    assert api.post("/api/v1/me/registrations/", json={"activity_id": 99999}).status_code == 404
    bad = api.post("/api/v1/me/registrations/", json={"activity_id": "one"})
    assert bad.status_code == 422 and "activity_id" in bad.get_json()["errors"]["json"]


def test_someone_elses_registration_does_not_exist(app, people):
    other = factories.make_person(email="other@example.org")
    theirs = services.register(make_activity().id, other).registration
    api = api_as(app, people["learner"], *SELF)
    assert api.get(f"/api/v1/me/registrations/{theirs.id}").status_code == 404
    assert api.delete(f"/api/v1/me/registrations/{theirs.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Registration, theirs.id).state == "confirmed"
    assert api.get("/api/v1/me/registrations/").get_json()["items"] == []


def test_a_read_only_token_cannot_write(app, people):
    activity = make_activity()
    mine = services.register(activity.id, people["learner"]).registration
    api = api_as(app, people["learner"], Scope.READ_SELF)
    assert api.post("/api/v1/me/registrations/", json={"activity_id": make_activity().id}).status_code == 403
    assert api.delete(f"/api/v1/me/registrations/{mine.id}").status_code == 403
    assert api.get(f"/api/v1/me/registrations/{mine.id}").get_json()["state"] == "confirmed"


def test_anonymous_callers_are_asked_to_sign_in(client):
    assert client.get("/api/v1/me/registrations/").status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_a_browser_session_reads_but_writes_only_with_the_csrf_header(app, people, login_as):
    activity = make_activity()
    browser = login_as("learner")
    assert browser.get("/api/v1/me/registrations/").status_code == 200
    refused = browser.post("/api/v1/me/registrations/", json={"activity_id": activity.id})
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
    assert db.session.query(Registration).count() == 0
    accepted = browser.post("/api/v1/me/registrations/", json={"activity_id": activity.id},
                            headers={"X-CSRFToken": csrf_token(browser)})
    assert accepted.status_code == 201 and accepted.get_json()["state"] == "confirmed"


def test_registrations_are_walked_page_by_page(app, people):
    made = [services.register(make_activity().id, people["learner"]).registration.id for _ in range(5)]
    items = all_pages(api_as(app, people["learner"], Scope.READ_SELF), "/api/v1/me/registrations/", limit=2)
    assert [item["id"] for item in items] == sorted(made)


def test_enrolments_progress_and_certificates_are_the_callers_own(app, people):
    learner = people["learner"]
    started = make_course("started-course", lessons=3)
    finished = make_course("finished-course", lessons=2)
    enrol(learner, started)
    complete_course(learner, finished)
    complete_course(factories.make_person(Role.LEARNER, email="else@example.org"), started)
    api = api_as(app, learner, Scope.READ_SELF)

    enrolments = all_pages(api, "/api/v1/me/enrolments/", limit=1)
    assert [(e["course"]["slug"], e["completed_at"] is None) for e in enrolments] == [
        ("started-course", True), ("finished-course", False)]

    progress = {p["course"]["slug"]: p for p in all_pages(api, "/api/v1/me/progress/", limit=1)}
    assert (progress["started-course"]["lessons_done"], progress["started-course"]["lessons_total"]) == (0, 3)
    assert progress["finished-course"]["percent"] == 100 and progress["finished-course"]["best_score"] == 100

    certificates = all_pages(api, "/api/v1/me/certificates/")
    assert [c["course"]["slug"] for c in certificates] == ["finished-course"]
    code = certificates[0]["code"]
    assert certificates[0]["verify_url"].endswith(f"/certificates/{code}")
    assert app.test_client().get(certificates[0]["verify_url"].removeprefix("http://hemicycle.test")).status_code == 200


def test_a_progress_page_costs_the_same_statements_whatever_its_length(app, people):
    for n in range(4):
        enrol(people["learner"], make_course(f"course-{n}", lessons=2))
    api = api_as(app, people["learner"], Scope.READ_SELF)

    api.get("/api/v1/me/progress/")  # the token's first use is noted once: not part of a page's cost

    def statements(limit: int) -> int:
        with count_queries() as counter:
            response = api.get("/api/v1/me/progress/", query_string={"limit": limit})
        assert len(response.get_json()["items"]) == limit
        return counter.count

    assert statements(1) == statements(4)
