"""The learner's pages: catalogue, course page, lessons, resuming, my learning, language fallback."""
import html
import re

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.learning.lookups import active_lessons, done_lesson_ids
from elearn.learning.models import Enrolment
from elearn.learning.progress import mark_lesson_done
from tests.helpers import post_form, text
from tests.learning.factories import enrol, make_course


@pytest.fixture
def courses(app):
    return {
        "committee": make_course("committee-work", title={"en": "Committee work", "fr": "Le travail en commission"},
                                 topics=("committee-work", "oversight"), audience="both"),
        "induction": make_course("induction", title={"en": "Induction for new members", "fr": "Accueil des élus"},
                                 topics=("new-members",), audience="mps"),
        "records": make_course("records", title={"en": "Official records"}, languages=("en",),
                               topics=("official-record",), audience="staff"),
    }


def titles(page: str) -> list[str]:
    """The course titles listed (as card headings) on a catalogue page."""
    return re.findall(r'<li class="course-card">\s*<h2><a href="[^"]+" lang="\w+" dir="\w+">([^<]+)</a></h2>', page)


def test_catalogue_is_public_and_filters(client, courses):
    assert titles(text(client.get("/courses"))) == ["Committee work", "Induction for new members", "Official records"]
    assert titles(text(client.get("/courses?topic=new-members"))) == ["Induction for new members"]
    assert titles(text(client.get("/courses?audience=staff"))) == ["Committee work", "Official records"]
    assert titles(text(client.get("/courses?audience=mps"))) == ["Committee work", "Induction for new members"]
    assert titles(text(client.get("/courses?language=fr"))) == ["Committee work", "Induction for new members"]
    # Search looks in every language and ignores accents and case.
    assert titles(text(client.get("/courses?q=ELUS"))) == ["Induction for new members"]
    page = text(client.get("/courses?q=nothing+like+this"))
    assert "0 courses" in page and "No course matches these filters." in page


def test_catalogue_in_french_shows_french_titles_and_says_when_not(client, courses):
    page = text(client.get("/courses", headers={"Accept-Language": "fr"}))
    assert "Le travail en commission" in page and "Accueil des élus" in page
    assert '<a href="/courses/records" lang="en" dir="ltr">Official records</a>' in page


def test_course_page_outline_and_enrolment(courses, login_as, client):
    page = text(client.get("/courses/committee-work"))
    assert "Lesson 1 (en)" in page and "Sign in to enrol in this course." in page
    assert 'href="/courses/committee-work/lessons/' not in page  # anonymous: outline without links

    learner = login_as("learner")
    assert "Enrol in this course" in text(learner.get("/courses/committee-work"))
    response = post_form(learner, "/courses/committee-work/enrol", token_from="/courses/committee-work")
    assert response.headers["Location"].endswith("/courses/committee-work/resume")
    response = learner.get(response.headers["Location"])
    assert response.headers["Location"].endswith("/courses/committee-work/lessons/lesson-1")
    page = text(learner.get("/courses/committee-work"))
    assert "Your progress" in page and "0% done" in page and "Start the course" in page


def test_self_enrolment_can_be_refused(app, login_as):
    make_course("closed", self_enrolment=False)
    learner = login_as("learner")
    assert "A trainer enrols learners in this course" in text(learner.get("/courses/closed"))
    response = post_form(learner, "/courses/closed/enrol", token_from="/courses/closed")
    assert "A trainer enrols learners in this course" in text(learner.get(response.headers["Location"]))
    assert db.session.scalars(select(Enrolment)).all() == []


def test_lesson_page_previous_next_mark_done_and_resume(courses, people, login_as):
    enrolment = enrol(people["learner"], courses["committee"])
    learner = login_as("learner")
    url = "/courses/committee-work/lessons/lesson-2"
    page = text(learner.get(url))
    assert "Lesson 2 of 3" in page
    assert 'rel="prev" href="/courses/committee-work/lessons/lesson-1"' in page
    assert 'rel="next" href="/courses/committee-work/lessons/lesson-3"' in page
    assert 'href="lesson-3"' in page  # the lesson's own link to the next lesson
    response = post_form(learner, f"{url}/done", token_from=url)
    assert response.headers["Location"].endswith("/lessons/lesson-3")
    assert "You have marked this lesson as done." in text(learner.get(url))
    # Resuming goes to the first lesson not done.
    assert learner.get("/courses/committee-work/resume").headers["Location"].endswith("/lessons/lesson-1")
    page = text(learner.get("/courses/committee-work"))
    assert "33% done" in page and "Continue: Lesson 1 (en)" in page
    # The last lesson leads back to what is left, then to the quiz.
    post_form(learner, "/courses/committee-work/lessons/lesson-3/done", token_from=url)
    response = post_form(learner, "/courses/committee-work/lessons/lesson-1/done", token_from=url)
    assert response.headers["Location"].endswith("/courses/committee-work/quiz")
    assert len(done_lesson_ids(enrolment)) == 3


def progress_bar(page: str) -> tuple[str, str, str]:
    """(max, value, its text) of the course progress bar on a lesson page."""
    found = re.search(r'<progress max="(\d+)" value="(\d+)" aria-labelledby="course-progress-text">[^<]*</progress>\s*'
                      r'<span id="course-progress-text">([^<]+)</span>', page)
    assert found, "no progress bar labelled by its text"
    return found.groups()


def test_every_lesson_page_shows_the_progress_through_the_course(courses, people, login_as):
    enrolment = enrol(people["learner"], courses["committee"])
    learner = login_as("learner")
    page = text(learner.get("/courses/committee-work/lessons/lesson-1"))
    assert "Lesson 1 of 3" in page and progress_bar(page) == ("3", "0", "0 of 3 lessons done")
    lessons = active_lessons(courses["committee"])
    mark_lesson_done(enrolment, lessons[0])
    mark_lesson_done(enrolment, lessons[2])
    page = text(learner.get("/courses/committee-work/lessons/lesson-2"))
    assert "Lesson 2 of 3" in page and progress_bar(page) == ("3", "2", "2 of 3 lessons done")
    people["learner"].preferred_language = "fr"
    db.session.commit()
    page = html.unescape(text(learner.get("/courses/committee-work/lessons/lesson-3")))
    assert "Leçon 3 sur 3" in page and progress_bar(page) == ("3", "2", "Leçons terminées : 2 sur 3")
    # A trainer's preview records nothing, so it shows no bar.
    assert "course-progress-text" not in text(login_as("trainer").get("/courses/committee-work/lessons/lesson-1"))


def test_lessons_need_an_enrolment_but_trainers_may_preview(courses, login_as):
    learner = login_as("learner")
    response = learner.get("/courses/committee-work/lessons/lesson-1")
    assert response.headers["Location"].endswith("/courses/committee-work")
    assert "Enrol in this course to read its lessons." in text(learner.get(response.headers["Location"]))
    page = text(login_as("trainer").get("/courses/committee-work/lessons/lesson-1"))
    assert "Preview: you are not enrolled" in page and "Mark as done" not in page


def test_a_lesson_falls_back_to_the_courses_language_and_says_so(app, courses, people, login_as):
    people["learner"].preferred_language = "fr"
    db.session.commit()
    enrol(people["learner"], courses["records"])
    enrol(people["learner"], courses["committee"])
    learner = login_as("learner")
    page = html.unescape(text(learner.get("/courses/records/lessons/lesson-1")))
    assert "Cette leçon n'est pas disponible dans votre langue ; elle est affichée dans la langue suivante : English." in page
    assert '<article class="lesson" lang="en"' in page and "Why it matters" in page
    page = html.unescape(text(learner.get("/courses/committee-work/lessons/lesson-1")))
    assert "Pourquoi c'est important" in page and "pas disponible dans votre langue" not in page


def test_my_learning_lists_enrolments_with_progress(courses, people, login_as):
    enrolment = enrol(people["learner"], courses["committee"])
    enrol(people["learner"], courses["induction"])
    mark_lesson_done(enrolment, active_lessons(courses["committee"])[0])
    page = text(login_as("learner").get("/my-learning"))
    assert "Committee work" in page and "Induction for new members" in page and "Official records" not in page
    assert "33% done" in page and "0% done" in page
    assert "You are not enrolled in any course yet." in text(login_as("focal_point").get("/my-learning"))
