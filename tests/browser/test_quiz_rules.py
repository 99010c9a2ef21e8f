"""A limited quiz in a real browser: the rules before starting, a result without the answers, a refusal; axe-clean."""
import pytest

from elearn.extensions import db
from elearn.learning.lookups import active_questions
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.learning.factories import enrol, make_course

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language, width", [("en", 1280), ("fr", 375)])
def test_a_failed_last_attempt_hides_the_answers_and_refuses_another(app, people, live_server, browser, language, width):
    course = make_course("ruled-course", lessons=1, questions=2, pass_mark=100, extra="[quiz]\nmax_attempts = 1")
    learner = people["learner"]
    learner.preferred_language = language
    enrol(learner, course)
    db.session.commit()
    wrong = [next(o.id for o in q.options if not o.is_correct) for q in active_questions(course)]
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/account/login")  # in English; the learner's own language from then on
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")

    page.goto(f"{live_server}/courses/ruled-course/quiz")
    rules = page.locator(".quiz-rules").inner_text()
    assert ("1 attempt left out of 1" if language == "en" else "1 tentative sur 1") in rules
    assert_accessible(page, f"quiz with rules ({language})")
    for option_id in wrong:
        page.locator(f"#option-{option_id}").check()
    page.locator("form.quiz [type=submit]").click()
    page.wait_for_url("**/quiz/attempts/*")
    assert page.locator(".explanation").count() == 0
    assert page.locator(".answer-wrong").count() == 2
    assert_accessible(page, f"result without the answers ({language})")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"{live_server}/courses/ruled-course/quiz")
    assert page.locator("form.quiz").count() == 0
    assert ("no more attempts are allowed" if language == "en" else "vous ne pouvez plus le repasser") in page.locator(".notice").inner_text()
    assert_accessible(page, f"quiz refused ({language})")
    context.close()
