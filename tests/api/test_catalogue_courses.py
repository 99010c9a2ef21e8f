"""Programmes and the course catalogue through the API: public, paged, outlines without lesson text."""
from elearn.extensions import db
from elearn.learning.models import Lesson
from tests.api.helpers import all_pages
from tests.helpers import count_queries
from tests.learning.factories import make_course
from tests.scheduling.factories import make_programme


def test_anyone_lists_programmes_with_what_the_calendar_shows_of_them(client):
    made = [make_programme(title=f"Programme {n}", funders=["Secret Fund"]) for n in range(3)]
    items = all_pages(client, "/api/v1/programmes/")
    assert [item["id"] for item in items] == [programme.id for programme in made]
    assert items[0]["calendar_url"].endswith(f"/programmes/{made[0].slug}/calendar.ics")
    assert "Secret Fund" not in str(items)
    assert client.get(f"/api/v1/programmes/{made[1].id}").get_json()["title"] == "Programme 1"
    assert client.get("/api/v1/programmes/999999").status_code == 404


def test_only_published_courses_are_in_the_catalogue(client):
    shown = make_course("open-course", lessons=2)
    hidden = make_course("withdrawn-course")
    hidden.published = False
    db.session.commit()
    items = all_pages(client, "/api/v1/courses/")
    assert [item["slug"] for item in items] == ["open-course"]
    assert items[0]["lesson_count"] == 2 and items[0]["title"]["fr"].startswith("Cours")
    assert client.get(f"/api/v1/courses/{hidden.id}").status_code == 404
    assert client.get(f"/api/v1/courses/{hidden.id}/lessons").status_code == 404
    assert client.get(f"/api/v1/courses/{shown.id}").status_code == 200


def test_a_course_gives_its_lessons_outline_in_order_and_never_their_text(client):
    course = make_course("outline-course", lessons=3)
    retired = db.session.scalar(db.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position.desc()))
    body_text = next(iter(retired.body_html.values()))
    retired.retired_at = retired.course.created_at
    db.session.commit()
    body = client.get(f"/api/v1/courses/{course.id}").get_json()
    assert [lesson["position"] for lesson in body["lessons"]] == sorted(lesson["position"] for lesson in body["lessons"])
    assert len(body["lessons"]) == 2 and body["lesson_count"] == 2
    assert set(body["lessons"][0]) == {"id", "slug", "position", "minutes", "title"}
    assert all_pages(client, f"/api/v1/courses/{course.id}/lessons", limit=1) == body["lessons"]
    assert body_text[:30] not in client.get(f"/api/v1/courses/{course.id}").get_data(as_text=True)


def test_course_pages_cost_the_same_statements_wherever_they_are(client):
    for n in range(5):
        make_course(f"course-{n}", lessons=1)
    first = client.get("/api/v1/courses/?limit=2")
    with count_queries() as on_first:
        client.get("/api/v1/courses/?limit=2")
    with count_queries() as on_second:
        client.get("/api/v1/courses/", query_string={"limit": 2, "cursor": first.get_json()["next_cursor"]})
    assert on_first.count == on_second.count
