"""A learner's course in a real browser: enrol, read, quiz, certificate; axe-clean at each step."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from elearn.learning.importing import import_path
from elearn.learning.lookups import active_lessons, active_questions, course_by_slug, enrolment_for
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

COURSE = Path(__file__).resolve().parents[2] / "courses" / "committee-work"


def test_enrol_read_pass_the_quiz_and_verify_the_certificate(app, people, live_server, page, browser):
    import_path(COURSE)
    course = course_by_slug("committee-work")
    lessons = active_lessons(course)
    questions = active_questions(course)
    learner = people["learner"]

    page.goto(f"{live_server}/account/login")
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")

    page.get_by_role("link", name="Courses", exact=True).click()
    page.wait_for_url("**/courses")
    assert_accessible(page, "catalogue")
    page.get_by_role("heading", name="Committee work").get_by_role("link").click()
    page.wait_for_url("**/courses/committee-work")
    assert_accessible(page, "course page before enrolling")
    page.get_by_role("button", name="Enrol in this course").click()
    page.wait_for_url(f"**/lessons/{lessons[0].slug}")
    assert "You are enrolled" in page.get_by_role("status").first.inner_text()
    assert_accessible(page, "first lesson")

    for number, lesson in enumerate(lessons, start=1):
        assert page.get_by_role("heading", level=1).inner_text() == lesson.title["en"]
        assert f"Lesson {number} of {len(lessons)}" in page.content()
        page.get_by_role("button", name="Mark as done").click()
        page.wait_for_load_state()
    page.wait_for_url("**/courses/committee-work/quiz")
    assert_accessible(page, "quiz")

    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("alert").first).to_contain_text("Answer every question before submitting.")
    assert_accessible(page, "quiz with errors")

    for question in questions:
        for option in question.options:
            if option.is_correct:
                page.locator(f"#option-{option.id}").check()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url("**/quiz/attempts/*")
    assert f"You answered {len(questions)} of {len(questions)} questions correctly: 100%." in page.content()
    assert_accessible(page, "quiz result")

    page.get_by_role("link", name="Your certificate").first.click()
    page.wait_for_url("**/courses/committee-work/certificate")
    assert learner.full_name in page.locator(".certificate").inner_text()
    assert_accessible(page, "certificate")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    code = enrolment_for(learner, course).certificate.code
    anonymous = browser.new_context(locale="fr-FR", bypass_csp=True).new_page()
    try:
        anonymous.goto(f"{live_server}/certificates/{code}")
        assert "Cette attestation est authentique." in anonymous.content()
        assert learner.full_name in anonymous.content() and learner.email not in anonymous.content()
        assert_accessible(anonymous, "public certificate check")
    finally:
        anonymous.context.close()


def test_trainer_pages_are_accessible(app, people, live_server, page):
    from tests.learning.factories import complete_course, enrol, make_course

    course = make_course("committee-work", lessons=2, questions=2)
    complete_course(people["learner"], course)
    enrol(people["focal_point"], course)

    page.goto(f"{live_server}/account/login")
    page.get_by_label("Email").fill(people["trainer"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Course administration").click()
    page.wait_for_url("**/admin/courses")
    assert_accessible(page, "course administration")
    page.locator("table").get_by_role("link", name="Enrolments").click()
    expect(page.locator("tbody")).to_contain_text(people["learner"].full_name)
    assert_accessible(page, "enrolments")
    page.get_by_role("link", name="Name").click()  # sorting keeps the table usable
    assert_accessible(page, "enrolments sorted")
    page.get_by_role("link", name="Enrol people", exact=True).first.click()
    page.get_by_label("Email addresses").fill("nobody@example.org")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("alert").first).to_contain_text("No active account for: nobody@example.org")
    assert_accessible(page, "enrol form with an error")
    page.get_by_role("link", name="Quiz results").click()
    expect(page.locator("body")).to_contain_text("Question 1 (en)?")
    assert_accessible(page, "quiz results")
