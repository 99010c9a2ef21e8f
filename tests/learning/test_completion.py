"""Completion, certificates (page, PDF) and their public verification."""
import re

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learning.lookups import active_lessons
from elearn.learning.models import Certificate
from elearn.learning.progress import mark_lesson_done
from elearn.learning.quizzes import submit_quiz
from tests.helpers import post_form, text
from tests.learning.factories import enrol, make_course, right_answers


def test_completion_needs_every_lesson_and_the_quiz(app, people):
    course = make_course(lessons=2, questions=2)
    enrolment = enrol(people["learner"], course)
    first, second = active_lessons(course)
    assert mark_lesson_done(enrolment, first) is False
    submit_quiz(enrolment, right_answers(course))
    assert enrolment.completed_at is None and enrolment.quiz_passed_at is not None
    assert mark_lesson_done(enrolment, second) is True
    certificate = enrolment.certificate
    assert enrolment.completed_at is not None
    assert certificate.holder_name == people["learner"].full_name
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", certificate.code)
    # Marking again or passing again issues no second certificate.
    mark_lesson_done(enrolment, second)
    submit_quiz(enrolment, right_answers(course))
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_a_course_without_quiz_completes_with_its_lessons(app, people):
    course = make_course(lessons=1, questions=0)
    enrolment = enrol(people["learner"], course)
    assert mark_lesson_done(enrolment, active_lessons(course)[0]) is True


def test_passing_the_quiz_last_completes_the_course(app, people, login_as):
    course = make_course(lessons=1, questions=1)
    enrolment = enrol(people["learner"], course)
    mark_lesson_done(enrolment, active_lessons(course)[0])
    client = login_as("learner")
    quiz = "/courses/sample-course/quiz"
    data = {k: v for k, v in right_answers(course).lists()}
    response = post_form(client, quiz, data, token_from=quiz)
    page = text(client.get(response.headers["Location"]))
    assert "You passed the quiz and completed the course. Your certificate is ready." in page


def test_marking_the_last_lesson_leads_to_the_certificate(app, people, login_as):
    course = make_course(lessons=1, questions=0)
    enrol(people["learner"], course)
    client = login_as("learner")
    lesson = "/courses/sample-course/lessons/lesson-1"
    response = post_form(client, f"{lesson}/done", token_from=lesson)
    assert response.headers["Location"].endswith("/courses/sample-course/certificate")
    page = text(client.get(response.headers["Location"]))
    assert "You have completed the course. Your certificate is ready." in page
    assert "Certificate of completion" in page and people["learner"].full_name in page
    assert "Sample course sample-course" in page


def test_certificate_pdf_and_public_verification(app, people, login_as, client):
    from tests.learning.factories import complete_course

    course = make_course(lessons=1, questions=1)
    enrolment, _attempt = complete_course(people["learner"], course)
    code = enrolment.certificate.code
    learner = login_as("learner")
    pdf = learner.get("/courses/sample-course/certificate.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data.startswith(b"%PDF-") and b"/Title" in pdf.data
    assert 'filename="certificate-sample-course.pdf"' in pdf.headers["Content-Disposition"]

    page = text(client.get(f"/certificates/{code}"))  # anyone, signed in or not
    assert "This certificate is genuine." in page
    assert people["learner"].full_name in page and "Sample course sample-course" in page and code in page
    assert people["learner"].email not in page
    assert people["learner"].parliament.name_en not in page
    # Lower case and spaces around are forgiven; an unknown code is a plain 404.
    assert client.get(f"/certificates/{code.lower()}").status_code == 200
    missing = client.get("/certificates/AAAA-BBBB-CCCC")
    assert missing.status_code == 404
    assert people["learner"].full_name not in text(missing)


def test_the_certificate_is_only_for_its_holder(app, people, login_as):
    from tests.learning.factories import complete_course

    course = make_course(lessons=1, questions=0)
    complete_course(people["learner"], course)
    other = login_as("focal_point")
    assert other.get("/courses/sample-course/certificate").status_code == 404
    assert other.get("/courses/sample-course/certificate.pdf").status_code == 404


def test_the_certificate_keeps_the_name_it_was_issued_to(app, people):
    from tests.learning.factories import complete_course

    course = make_course(lessons=1, questions=0)
    enrolment, _ = complete_course(people["learner"], course)
    people["learner"].full_name = "Another Name"
    db.session.commit()
    assert enrolment.certificate.holder_name != "Another Name"
