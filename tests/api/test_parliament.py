"""A focal point's parliament through the API: only their own parliament's rows, nominations as on the web."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.api.scopes import Scope
from elearn.api.tokens import TokenError
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.people.models import PersonKind
from elearn.scheduling import services
from elearn.scheduling.models import AttendanceStatus, Audience, Registration
from tests import factories
from tests.api.helpers import all_pages, api_as, token_for
from tests.helpers import count_queries
from tests.scheduling.factories import make_activity


@pytest.fixture
def abroad(app):
    """Another parliament with its own focal point and a member."""
    parliament = factories.make_parliament(name_en="Assembly Elsewhere", country_code="QX")
    return {"focal_point": factories.make_person(Role.FOCAL_POINT, email="focal-x@example.org", parliament=parliament),
            "member": factories.make_person(email="member-x@example.org", parliament=parliament)}


@pytest.fixture
def focal_api(app, people):
    return api_as(app, people["focal_point"], Scope.READ_PARLIAMENT, Scope.WRITE_PARLIAMENT)


def test_the_people_list_is_the_own_parliament_only(app, people, abroad, focal_api):
    colleagues = [factories.make_person(email=f"c{n}@example.org", parliament=people["learner"].parliament)
                  for n in range(3)]
    closed = factories.make_person(email="closed@example.org", parliament=people["learner"].parliament,
                                   is_active=False)
    items = all_pages(focal_api, "/api/v1/parliament/people/", limit=2)
    ids = [item["id"] for item in items]
    assert ids == sorted([people["learner"].id, people["focal_point"].id, *(c.id for c in colleagues)])
    assert abroad["member"].id not in ids and closed.id not in ids
    assert set(items[0]) == {"id", "full_name", "kind"}  # no email, no political side


def test_registrations_and_attendance_never_show_another_parliament(app, people, abroad, focal_api):
    activity = make_activity(capacity=10)
    ours = services.register(activity.id, people["learner"]).registration
    theirs = services.register(activity.id, abroad["member"]).registration
    other_activity = make_activity()
    ours_elsewhere = services.register(other_activity.id, people["focal_point"]).registration
    session = activity.sessions[0]
    services.record_attendance(session, {ours.id: AttendanceStatus.PRESENT, theirs.id: AttendanceStatus.ABSENT},
                               now=session.starts_at + timedelta(minutes=5))

    registrations = all_pages(focal_api, "/api/v1/parliament/registrations/", limit=1)
    assert [r["id"] for r in registrations] == [ours.id, ours_elsewhere.id]
    assert registrations[0]["person"] == {"id": people["learner"].id, "full_name": people["learner"].full_name,
                                          "kind": people["learner"].kind.value}
    filtered = focal_api.get("/api/v1/parliament/registrations/", query_string={"activity_id": other_activity.id})
    assert [r["id"] for r in filtered.get_json()["items"]] == [ours_elsewhere.id]

    marks = all_pages(focal_api, "/api/v1/parliament/attendance/", limit=1)
    assert [(m["registration_id"], m["session_id"], m["status"]) for m in marks] == [(ours.id, session.id, "present")]
    assert marks[0]["recorded_at"].endswith("+00:00")

    seen_abroad = api_as(app, abroad["focal_point"], Scope.READ_PARLIAMENT)
    assert [r["id"] for r in all_pages(seen_abroad, "/api/v1/parliament/registrations/")] == [theirs.id]
    assert [m["registration_id"] for m in all_pages(seen_abroad, "/api/v1/parliament/attendance/")] == [theirs.id]


def test_a_focal_point_nominates_a_colleague_with_the_web_forms_mail(app, people, focal_api):
    activity = make_activity(capacity=5)
    response = focal_api.post("/api/v1/parliament/nominations/",
                              json={"activity_id": activity.id, "person_id": people["learner"].id})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["nominated"] is True and body["state"] == "confirmed"
    assert body["person"]["id"] == people["learner"].id
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == people["learner"].email)).all() != []
    again = focal_api.post("/api/v1/parliament/nominations/",
                           json={"activity_id": activity.id, "person_id": people["learner"].id})
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    assert [n["id"] for n in all_pages(focal_api, "/api/v1/parliament/nominations/")] == [body["id"]]


def test_self_registrations_are_not_nominations(app, people, focal_api):
    services.register(make_activity().id, people["learner"])
    assert focal_api.get("/api/v1/parliament/nominations/").get_json()["items"] == []


def test_another_parliaments_person_cannot_be_nominated(app, people, abroad, focal_api):
    activity = make_activity()
    response = focal_api.post("/api/v1/parliament/nominations/",
                              json={"activity_id": activity.id, "person_id": abroad["member"].id})
    assert response.status_code == 404
    assert db.session.query(Registration).count() == 0


def test_the_quota_is_a_conflict(app, people, focal_api):
    activity = make_activity(quota_per_parliament=1)
    services.register(activity.id, people["focal_point"])
    response = focal_api.post("/api/v1/parliament/nominations/",
                              json={"activity_id": activity.id, "person_id": people["learner"].id})
    assert response.status_code == 409 and "quota" in response.get_json()["detail"]


def test_someone_this_activity_is_not_for_cannot_be_nominated(app, people, focal_api):
    activity = make_activity(audience=Audience.MPS)
    staff = factories.make_person(email="staff@example.org", parliament=people["learner"].parliament,
                                  kind=PersonKind.STAFF)
    response = focal_api.post("/api/v1/parliament/nominations/", json={"activity_id": activity.id,
                                                                       "person_id": staff.id})
    assert response.status_code == 404


def test_a_learner_cannot_hold_or_use_the_parliament_scopes(app, people):
    with pytest.raises(TokenError, match="does not allow"):
        token_for(people["learner"], Scope.WRITE_PARLIAMENT)
    learner = api_as(app, people["learner"], Scope.READ_SELF, Scope.WRITE_SELF)
    response = learner.post("/api/v1/parliament/nominations/",
                            json={"activity_id": make_activity().id, "person_id": people["learner"].id})
    assert response.status_code == 403
    assert learner.get("/api/v1/parliament/people/").status_code == 403


def test_a_read_only_focal_token_cannot_nominate(app, people):
    reader = api_as(app, people["focal_point"], Scope.READ_PARLIAMENT)
    response = reader.post("/api/v1/parliament/nominations/",
                           json={"activity_id": make_activity().id, "person_id": people["learner"].id})
    assert response.status_code == 403
    assert db.session.query(Registration).count() == 0


def test_a_page_costs_the_same_statements_whatever_its_length(app, people, focal_api):
    colleagues = [factories.make_person(email=f"p{n}@example.org", parliament=people["learner"].parliament)
                  for n in range(6)]
    activity = make_activity(capacity=3)
    for person in colleagues:
        services.register(activity.id, person)  # three seats, three waiting

    focal_api.get("/api/v1/parliament/registrations/")  # the token's first use is noted once: not part of a page's cost

    def statements(limit: int) -> int:
        with count_queries() as counter:
            response = focal_api.get("/api/v1/parliament/registrations/", query_string={"limit": limit})
        assert len(response.get_json()["items"]) == limit
        return counter.count

    assert statements(4) == statements(6)  # both pages hold people waiting (their rank is one query)
