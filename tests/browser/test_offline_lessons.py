"""A course read offline in a real browser: saved on the device, its lessons and diagram shown without the network,
a lesson marked done offline sent when the connection is back; the quiz says scoring needs the connection."""
from pathlib import Path

import pytest

from elearn.learning.importing import import_path
from elearn.learning.lookups import active_lessons, course_by_slug, done_lesson_ids, enrolment_for
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser
from tests.learning.factories import enrol

pytestmark = pytest.mark.browser

COURSE = Path(__file__).resolve().parents[2] / "courses" / "committee-work"


def test_a_course_saved_offline_is_read_and_its_lesson_marked_done_offline(app, people, live_server, browser):
    import_path(COURSE)
    course = course_by_slug("committee-work")
    lessons = active_lessons(course)
    learner = people["learner"]
    enrol(learner, course)
    # The site's real Content-Security-Policy: it must let the page register the worker.
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, learner.email, PASSWORD)
        page.goto(f"{live_server}/courses/committee-work")
        save = page.get_by_role("button", name="Make available offline")
        save.click()
        status = page.locator("#offline-panel .offline-status")
        status.filter(has_text="Available offline · saved").wait_for()
        assert page.locator(".offline-count").inner_text() == "15 of 15 saved"  # the course, 5 lessons, the quiz, the offline page, 2 diagrams, 5 static files
        assert page.get_by_role("button", name="Remove offline copy").is_visible() and not save.is_visible()

        context.set_offline(True)
        page.goto(f"{live_server}/courses/committee-work/lessons/the-committee-cycle")
        assert page.get_by_role("heading", level=1).inner_text() == lessons[1].title["en"]
        diagram = page.locator(".lesson-body img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=diagram.element_handle())

        page.get_by_role("button", name="Mark as done").click()
        page.get_by_text("Saved on this device; it will be sent when you are back online.").wait_for()
        assert done_lesson_ids(enrolment_for(learner, course)) == set()

        context.set_offline(False)
        status.filter(has_text="The lessons you marked as done offline have been recorded.").wait_for()
        assert done_lesson_ids(enrolment_for(learner, course)) == {lessons[1].id}
    finally:
        context.close()
