"""The public calendar through the API: what anyone may read of activities and sessions, filtered as the calendar."""
import base64
import json
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from elearn.extensions import db
from elearn.scheduling.models import ActivityStatus, Modality
from elearn.scheduling.registrations import register
from elearn.topics import Topic
from tests import factories
from tests.api.helpers import all_pages, api_as
from tests.helpers import count_queries
from tests.scheduling.factories import make_activity, make_programme, one_session


def ids(items):
    return [item["id"] for item in items]


def listed(client, *params: tuple[str, str]) -> list[int]:
    """The ids of every page of /api/v1/activities/ with these filters (repeat a name for several values)."""
    found, cursor = [], None
    while True:
        query = [*params, ("limit", "2"), *([("cursor", cursor)] if cursor else [])]
        response = client.get("/api/v1/activities/", query_string=MultiDict(query))
        assert response.status_code == 200, response.get_data(as_text=True)
        found += ids(response.get_json()["items"])
        cursor = response.get_json()["next_cursor"]
        if cursor is None:
            return found


def test_anyone_reads_the_listed_activities_but_never_a_draft(client):
    published = make_activity(title="Budget seminar")
    cancelled = make_activity(title="Called off", status=ActivityStatus.CANCELLED)
    draft = make_activity(title="Not yet", status=ActivityStatus.DRAFT)
    items = all_pages(client, "/api/v1/activities/")
    assert ids(items) == sorted([published.id, cancelled.id])
    assert {item["status"] for item in items} == {"published", "cancelled"}
    assert client.get(f"/api/v1/activities/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/activities/{draft.id}/sessions").status_code == 404
    assert client.get(f"/api/v1/activities/{published.id}").get_json()["title"] == "Budget seminar"


def test_an_activity_shows_what_its_page_shows_and_keeps_the_online_link_private(app, client, people):
    activity = make_activity(title="Online briefing", online_url="https://meet.example.org/secret-room",
                             description_md="About **it**", capacity=3)
    register(activity.id, people["learner"])
    body = client.get(f"/api/v1/activities/{activity.id}").get_json()
    assert body["online"] is True
    assert "secret-room" not in str(body)
    assert body["capacity"] == 3 and body["seats_left"] == 2
    assert body["place"]["venue"] == "Room A" and body["place"]["city"] == "Paris"
    assert "<strong>it</strong>" in body["description_html"]
    # Even a signed caller with a token does not get the link here (it is on the person's own pages).
    assert "secret-room" not in api_as(app, people["learner"]).get(f"/api/v1/activities/{activity.id}").get_data(
        as_text=True)


def test_sessions_carry_offsets_and_the_activity_timezone(client):
    activity = make_activity(timezone="America/New_York", sessions=one_session(days_ahead=30))
    session = client.get(f"/api/v1/activities/{activity.id}").get_json()["sessions"][0]
    assert session["timezone"] == "America/New_York"
    assert session["starts_at"].endswith("+00:00")
    listed = all_pages(client, f"/api/v1/activities/{activity.id}/sessions")
    assert listed == [session]
    local = activity.sessions[0].starts_at.astimezone(ZoneInfo("America/New_York"))
    assert local.hour == 9  # the session's 09:00 is New York's, given as a UTC instant


def test_filters_narrow_as_the_calendars_do(client):
    programme = make_programme(slug="budget-oversight")
    topic = Topic(slug="ethics", name_en="Ethics", name_fr="Éthique")
    db.session.add(topic)
    db.session.commit()
    host = factories.make_parliament()
    in_programme = make_activity(programme=programme, title="Scrutiny of the budget")
    with_topic = make_activity(modality=Modality.BRIEFING, topic_ids=(topic.id,), host_parliament_id=host.id)
    make_activity(title="Something else")
    assert listed(client, ("programme", "budget-oversight")) == [in_programme.id]
    assert listed(client, ("topic", "ethics")) == [with_topic.id]
    assert listed(client, ("modality", "briefing")) == [with_topic.id]
    assert listed(client, ("parliament", str(host.id))) == [with_topic.id]
    assert listed(client, ("q", "SCRUTINY")) == [in_programme.id]
    assert len(listed(client, ("modality", "briefing"), ("modality", "seminar"))) == 3
    body = client.get(f"/api/v1/activities/{with_topic.id}").get_json()
    assert body["topics"] == [{"slug": "ethics", "names": {"en": "Ethics", "fr": "Éthique", "es": None, "pt": None,
                                                           "ar": None}}]
    assert body["host_parliament"]["id"] == host.id


def test_a_time_window_keeps_the_activities_it_overlaps(client):
    soon = make_activity(sessions=one_session(days_ahead=5))
    later = make_activity(sessions=one_session(days_ahead=60))
    assert listed(client) == [soon.id, later.id]
    assert listed(client, ("until", soon.ends_at.isoformat())) == [soon.id]
    assert listed(client, ("since", later.starts_at.isoformat())) == [later.id]
    assert listed(client, ("since", "2000-01-01T00:00:00"), ("until", "2000-01-02T00:00:00")) == []


def test_a_filter_value_that_names_nothing_is_a_422_naming_the_parameter(client):
    make_activity()
    for query, field in (("modality=juggling", "modality"), ("audience=everyone", "audience"),
                         ("lang=xx", "lang"), ("parliament=abc", "parliament"), ("topic=no-such-topic", "topic"),
                         ("programme=no-such-programme", "programme"), ("q=" + "x" * 101, "q"),
                         ("since=yesterday", "since"), ("since=0001-01-01T00:00:00%2B05:00", "since")):
        response = client.get(f"/api/v1/activities/?{query}")
        assert response.status_code == 422, query
        assert response.mimetype == "application/problem+json"
        assert field in response.get_json()["errors"]["query"], query


def test_cursor_paging_walks_every_activity_once_in_order_with_the_same_statements_per_page(client, people):
    made = [make_activity() for _ in range(7)]
    register(made[0].id, people["learner"])
    items = all_pages(client, "/api/v1/activities/", limit=3)
    assert ids(items) == sorted(activity.id for activity in made)
    first = client.get("/api/v1/activities/?limit=3")
    db.session.expire_all()
    with count_queries() as on_first:
        client.get("/api/v1/activities/?limit=3")
    with count_queries() as on_second:
        second = client.get("/api/v1/activities/", query_string={"limit": 3, "cursor": first.get_json()["next_cursor"]})
    assert second.status_code == 200 and len(second.get_json()["items"]) == 3
    assert on_first.count == on_second.count
    assert 'rel="next"' in first.headers["Link"]


def test_an_activity_read_again_unchanged_answers_304(client):
    activity = make_activity()
    first = client.get(f"/api/v1/activities/{activity.id}")
    again = client.get(f"/api/v1/activities/{activity.id}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_forged_cursor_of_the_wrong_kind_is_refused_not_a_server_error(client):
    activity = make_activity()
    forged = [base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
              for value in (["abc"], [{"t": "2020-01-01T00:00:00"}], [2**70], [True])]
    for url in ("/api/v1/activities/", f"/api/v1/activities/{activity.id}/sessions", "/api/v1/programmes/"):
        for cursor in forged:
            response = client.get(url, query_string={"cursor": cursor})
            assert response.status_code == 422, (url, cursor)
