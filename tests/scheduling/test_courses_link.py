"""Activities tied to e-learning courses: prerequisites and the course's live-session calendar."""
import pytest
from icalendar import Calendar

from elearn.scheduling import services
from tests.factories import make_person
from tests.learning.factories import complete_course, make_course
from tests.scheduling.factories import make_activity


def test_a_prerequisite_course_must_be_completed_first(app):
    course = make_course(lessons=1, questions=1)
    activity = make_activity(prerequisite_course_id=course.id)
    person = make_person()
    with pytest.raises(services.SchedulingError, match="Complete the course"):
        services.register(activity.id, person)
    complete_course(person, course)
    assert services.register(activity.id, person).registration.state.value == "confirmed"


def test_the_activity_page_names_the_prerequisite(app, client):
    course = make_course(lessons=1)
    activity = make_activity(prerequisite_course_id=course.id)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "Complete first" in page and f"/courses/{course.slug}" in page


def test_the_course_calendar_holds_only_its_live_sessions(app, client):
    course = make_course(lessons=1)
    live = make_activity(title="Live session on amendments", course_id=course.id)
    make_activity(title="Unrelated seminar")
    response = client.get(f"/courses/{course.slug}/calendar.ics")
    assert response.status_code == 200
    events = [e for e in Calendar.from_ical(response.data).walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == ["Live session on amendments"]
    assert str(events[0]["UID"]) == f"session-{live.sessions[0].id}@hemicycle.test"
    assert client.get("/courses/no-such-course/calendar.ics").status_code == 404
    assert f"/courses/{course.slug}/calendar.ics" in client.get(f"/courses/{course.slug}").get_data(as_text=True)
