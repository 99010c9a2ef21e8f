"""Pages run the same number of SQL statements for 10 or 100 lessons and learners."""
import pytest
from werkzeug.security import generate_password_hash

from elearn.extensions import db
from elearn.learning.lookups import active_lessons
from elearn.learning.models import Course
from elearn.learning.progress import mark_lesson_done
from elearn.people.models import Person
from tests.helpers import count_queries, text
from tests.learning.factories import enrol, make_course


def add_learners(course, n: int, prefix: str) -> None:
    """n enrolled learners, each with the first lesson done (cheaply: one shared hash)."""
    shared = generate_password_hash("x" * 12, method="pbkdf2:sha256:1")
    first = active_lessons(course)[0]
    for i in range(n):
        person = Person(email=f"{prefix}{i}@example.org", full_name=f"{prefix} {i}", password_hash=shared)
        db.session.add(person)
        enrolment = enrol(person, course)
        mark_lesson_done(enrolment, first)


@pytest.fixture
def small_and_large(app, people):
    small = make_course("small", lessons=10, questions=2)
    large = make_course("large", lessons=100, questions=2)
    add_learners(small, 10, "small")
    add_learners(large, 100, "large")
    for course in (small, large):
        enrolment = enrol(people["learner"], course)
        for lesson in active_lessons(course)[:5]:
            mark_lesson_done(enrolment, lesson)
    return small, large


def queries(client, url: str, expect: str) -> int:
    client.get(url)  # warm up caches (e.g. the CSRF token in the session)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    assert expect in text(response), url
    return counter.count


def test_catalogue_queries_do_not_grow_with_courses_or_lessons(app, people, login_as):
    make_course("small", lessons=10)
    learner = login_as("learner")
    enrol(people["learner"], db.session.scalar(db.select(Course).where(Course.slug == "small")))
    before = queries(learner, "/courses", "10 lessons")
    make_course("large", lessons=100)
    after = queries(learner, "/courses", "100 lessons")
    assert after == before


@pytest.mark.parametrize("path, expect", [
    ("/courses/{slug}", "Lesson 10 (en)"),
    ("/courses/{slug}/lessons/lesson-3", "Lesson 3 of"),
    ("/my-learning", "% done"),
])
def test_learner_pages_for_10_and_100_lessons(small_and_large, login_as, path, expect):
    learner = login_as("learner")
    small = queries(learner, path.format(slug="small"), expect)
    large = queries(learner, path.format(slug="large"), expect)
    assert small == large, path


@pytest.mark.parametrize("path, expect", [
    ("/admin/courses/{slug}/enrolments?sort=progress", "1 of"),
    ("/admin/courses/{slug}/quiz-results", "Question 1 (en)?"),
    ("/admin/courses", "Sample course large"),
])
def test_trainer_pages_for_10_and_100_learners(small_and_large, login_as, path, expect):
    trainer = login_as("trainer")
    assert queries(trainer, path.format(slug="small"), expect) == queries(trainer, path.format(slug="large"), expect)
