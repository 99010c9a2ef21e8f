"""Courses read offline in a real browser: saved on the device, the lessons and their diagram shown without the
network, a lesson marked done offline sent when the connection is back, the quiz saying that scoring needs the
connection; and the same in Arabic on a phone, axe-clean.

Playwright's offline mode (context.set_offline) also cuts the service worker's own requests in this Chromium:
the server's log of requests is empty while offline, which the first test checks rather than assumes. Going back
online, the page hears `online` a moment before the worker's requests pass again, so the first sending often
fails there and the page's retry (2 s later) sends: as after a real network's return.
"""
import shutil
from pathlib import Path

import pytest
from flask import request_started
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learning.importing import import_path
from elearn.learning.lookups import active_lessons, course_by_slug, done_lesson_ids, enrolment_for
from elearn.learning.models import QuizAttempt
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import save_course_offline, sign_in_in_browser
from tests.learning.factories import enrol, make_course

pytestmark = pytest.mark.browser

COURSE = Path(__file__).resolve().parents[2] / "courses" / "committee-work"
PHONE = {"width": 375, "height": 812}


# Every text the offline panel's status line shows, in order (the page's script changes it).
RECORD_OFFLINE_STATUS = """
window.offlineStatuses = [];
document.addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector("#offline-panel .offline-status");
  if (status) new MutationObserver(() => window.offlineStatuses.push(status.textContent))
    .observe(status, { childList: true, characterData: true, subtree: true });
});
"""
UPDATED_AFTER_SAYING_SO = """() => {
  const seen = window.offlineStatuses || [];
  const updating = seen.indexOf("The course has changed: updating the copy on this device…");
  return updating >= 0 && seen.slice(updating + 1).some((text) => text.startsWith("Available offline · saved"));
}"""


@pytest.fixture
def server_requests(app):
    """The paths the server is asked for, as they come (a signal of Flask's: nothing of the app is replaced)."""
    seen = []

    def record(sender, **extra):
        from flask import request
        seen.append(request.path)

    request_started.connect(record, app)
    yield seen
    request_started.disconnect(record, app)


def test_a_course_saved_offline_is_read_and_its_lesson_marked_done_offline(app, people, live_server, browser,
                                                                           server_requests, tmp_path):
    import_path(COURSE)
    course = course_by_slug("committee-work")
    cycle = active_lessons(course)[1]  # the lesson with a diagram
    learner = people["learner"]
    enrol(learner, course)
    # The site's real Content-Security-Policy: it must let the page register the worker.
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, learner.email, PASSWORD)
        save_course_offline(page, live_server, "committee-work", "Available offline · saved")
        # The course, 5 lessons, the quiz, the offline page, 2 diagrams (English, French), 5 static files.
        assert page.locator(".offline-count").inner_text() == "15 of 15 saved"
        expect(page.get_by_role("button", name="Remove offline copy")).to_be_visible()
        assert not page.get_by_role("button", name="Make available offline").is_visible()

        context.set_offline(True)
        server_requests.clear()
        page.goto(f"{live_server}/courses/committee-work/lessons/{cycle.slug}")
        assert page.get_by_role("heading", level=1).inner_text() == cycle.title["en"]
        diagram = page.locator(".lesson-body img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=diagram.element_handle())
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"  # site.css is in

        page.get_by_role("button", name="Mark as done").click()
        page.get_by_text("Saved on this device; it will be sent when you are back online.").wait_for()
        page.reload()  # the saved copy still shows the button; the page learns from the worker that it is queued
        page.get_by_text("Saved on this device; it will be sent when you are back online.").wait_for()
        assert not page.get_by_role("button", name="Mark as done").is_visible()

        page.goto(f"{live_server}/courses/committee-work/quiz")
        page.get_by_role("button", name="Submit my answers").click()
        assert "Scoring needs the connection." in page.locator("#offline-quiz-notice").inner_text()
        assert page.url.endswith("/quiz")

        page.goto(f"{live_server}/courses/legislative-procedure")  # not saved: the offline page, listing what is
        assert page.get_by_role("heading", level=1).inner_text() == "You are offline"
        page.get_by_role("link", name=course.title["en"]).wait_for()
        page.goto(f"{live_server}/courses/committee-work/lessons/{cycle.slug}")
        assert server_requests == []  # all of it from the device
        expect(page.get_by_role("button", name="Remove offline copy")).to_be_visible()  # the panel, offline too
        assert done_lesson_ids(enrolment_for(learner, course)) == set()

        context.set_offline(False)  # the page hears `online` and asks the worker to send what waits
        page.locator("#offline-panel .offline-status").filter(
            has_text="The lessons you marked as done offline have been recorded.").wait_for()
        assert done_lesson_ids(enrolment_for(learner, course)) == {cycle.id}
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 0
        page.reload()  # online, the page comes from the server (and refreshes the saved copy)
        page.get_by_text("You have marked this lesson as done.").wait_for()

        # The course changes: its next page seen online saves the new version in place of the old.
        page.goto(f"{live_server}/dashboard")  # no course page open that could see the change first
        before = page.evaluate("caches.keys()")
        changed = tmp_path / "committee-work"
        shutil.copytree(COURSE, changed)
        first = changed / f"01-{active_lessons(course)[0].slug}.en.md"
        first.write_text(first.read_text() + "\nA paragraph added after the course was saved.\n")
        import_path(tmp_path)
        page.add_init_script(RECORD_OFFLINE_STATUS)
        page.goto(f"{live_server}/courses/committee-work")
        # The message is up only while the copy is saved again, too briefly to be sure to catch it by looking.
        page.wait_for_function(UPDATED_AFTER_SAYING_SO)
        after = page.evaluate("caches.keys()")
        assert len(after) == 1 and after != before
        context.set_offline(True)
        page.goto(f"{live_server}/courses/committee-work/lessons/{active_lessons(course)[0].slug}")
        page.get_by_text("A paragraph added after the course was saved.").wait_for()
    finally:
        context.close()


def test_offline_reading_in_arabic_on_a_phone_two_courses_at_once(app, people, live_server, browser):
    import_path(COURSE)
    learner = people["learner"]
    learner.preferred_language = "ar"
    db.session.commit()
    for course in (course_by_slug("committee-work"), make_course("budget-oversight", lessons=2, questions=0,
                                                                 languages=("en", "fr"))):
        enrol(learner, course)
    context = browser.new_context(locale="ar", viewport=PHONE, bypass_csp=True)  # axe is injected
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, learner.email, PASSWORD)
        page.goto(f"{live_server}/courses/committee-work")
        page.get_by_role("button", name="إتاحة دون اتصال").wait_for()
        assert_accessible(page, "course page, offline button (ar, 375 px)")
        save_course_offline(page, live_server, "committee-work", "متاح دون اتصال")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page, "course page, saved (ar, 375 px)")
        save_course_offline(page, live_server, "budget-oversight", "متاح دون اتصال")

        context.set_offline(True)
        lesson = active_lessons(course_by_slug("committee-work"))[0]
        page.goto(f"{live_server}/courses/committee-work/lessons/{lesson.slug}")
        page.get_by_role("button", name="وسم الدرس بأنه منجز").click()
        page.get_by_text("حُفظ على هذا الجهاز، وسيُرسَل عند عودة الاتصال.").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page, "lesson queued offline (ar, 375 px)")
        page.goto(f"{live_server}/courses/committee-work/quiz")
        page.locator("form.quiz [type=submit]").click()
        page.get_by_text("يتطلب تصحيح الإجابات اتصالًا بالإنترنت.", exact=False).wait_for()
        assert_accessible(page, "quiz offline (ar, 375 px)")
        page.goto(f"{live_server}/courses/committee-work/certificate")
        assert page.get_by_role("heading", level=1).inner_text() == "أنت غير متصل"
        links = page.locator("#offline-courses a")
        expect(links).to_have_count(2)  # listed one by one, as each copy is read
        assert sorted(links.all_inner_texts()) == sorted(
            [course_by_slug("committee-work").title_in("ar"), course_by_slug("budget-oversight").title_in("ar")])
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page, "offline page (ar, 375 px)")

        context.set_offline(False)
        page.goto(f"{live_server}/courses/budget-oversight")
        page.locator("#offline-panel [data-action=remove]").click()
        page.get_by_text("حُذفت النسخة المحفوظة على هذا الجهاز.").wait_for()
        left = page.evaluate("caches.keys()")
        assert len(left) == 1 and left[0].startswith("hemicycle-course:committee-work:")
    finally:
        context.close()


def test_signing_out_leaves_no_saved_course_on_the_device(app, people, live_server, browser):
    import_path(COURSE)
    learner = people["learner"]
    enrol(learner, course_by_slug("committee-work"))
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, learner.email, PASSWORD)
        save_course_offline(page, live_server, "committee-work", "Available offline · saved")
        assert page.evaluate("caches.keys()")
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then((all) => all.length)") == 1

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{live_server}/")
        # A shared phone: the next person finds neither the copy nor the worker that served it.
        assert page.evaluate("caches.keys()") == []
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then((all) => all.length)") == 0
        context.set_offline(True)
        with pytest.raises(PlaywrightError):
            page.goto(f"{live_server}/courses/committee-work")
    finally:
        context.close()
