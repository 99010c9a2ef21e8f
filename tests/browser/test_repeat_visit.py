"""A learner on a slow connection: once a lesson has been read, another lesson, the same one again, or a reload
downloads nothing but the page itself. The stylesheets, the script, the icon and the lesson's diagram are
kept by Chromium under their versioned URLs (`immutable`) and asked for no more, not even to revalidate; and
so it stays once the learner has saved another course offline, when the course worker answers these pages.

Counted where it matters, at the server: every request that reaches it is one the connection carried.
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from elearn.learning.importing import import_path
from elearn.learning.lookups import active_lessons, course_by_slug
from tests.factories import PASSWORD
from tests.helpers import save_course_offline, sign_in_in_browser
from tests.learning.factories import enrol

pytestmark = pytest.mark.browser

COURSES = Path(__file__).resolve().parents[2] / "courses"
COURSE, DIAGRAM_LESSON = "legislative-procedure", "from-bill-to-law"
SAVED = "committee-work"


class Requests:
    """The paths the server was asked for, in order (a WSGI middleware in front of the app)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            query = environ.get("QUERY_STRING")
            self.paths.append(environ["PATH_INFO"] + (f"?{query}" if query else ""))
        return self.wsgi_app(environ, start_response)

    def take(self) -> list[str]:
        with self.lock:
            taken, self.paths = self.paths, []
        return taken


def read(page, url: str | None) -> None:
    """Open a lesson (reload the page without a URL) and wait until it is whole: styled, its diagram decoded."""
    if url:
        page.goto(url)
    else:
        page.reload()
    page.wait_for_load_state("load")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") != "inline"
    diagrams = page.locator(".lesson-body img")
    for index in range(diagrams.count()):
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=diagrams.nth(index).element_handle())


@pytest.mark.parametrize("saved_course", [None, SAVED], ids=["nothing saved", "another course saved offline"])
def test_a_repeat_visit_downloads_only_the_html(app, people, live_server, browser, tmp_path, saved_course):
    # With a course saved offline, the course worker answers every course page, of other courses too: the
    # static files come from the saved copy, which holds them, and the other course's diagram from Chromium's.
    for slug in filter(None, (COURSE, saved_course)):
        shutil.copytree(COURSES / slug, tmp_path / slug)
    import_path(tmp_path)
    course = course_by_slug(COURSE)
    enrol(people["learner"], course)
    if saved_course:
        enrol(people["learner"], course_by_slug(saved_course))
    slugs = [lesson.slug for lesson in active_lessons(course)]
    other = slugs[(slugs.index(DIAGRAM_LESSON) + 1) % len(slugs)]
    lesson_url, other_url = (f"{live_server}/courses/{COURSE}/lessons/{slug}" for slug in (DIAGRAM_LESSON, other))
    requests = Requests(app.wsgi_app)
    app.wsgi_app = requests

    context = browser.new_context(locale="en-GB")  # the site's own Content-Security-Policy, unbypassed
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["learner"].email, PASSWORD)
        if saved_course:
            save_course_offline(page, live_server, saved_course, "Available offline · saved")
            assert page.evaluate("navigator.serviceWorker.getRegistration('/courses/')") is not None
            requests.take()
        read(page, lesson_url)
        first = requests.take()
        static = [path for path in first if path.startswith("/static/")]
        if not saved_course:  # otherwise the course pages saved have brought them already
            assert {path.split("?")[0] for path in static} >= {"/static/css/site.css", "/static/js/site.js"}, first
        assert all("?v=" in path for path in static), first
        diagram = [path for path in first if f"/courses/{COURSE}/assets/" in path]
        assert len(diagram) == 1 and "?v=" in diagram[0], first

        for step, visit in (("another lesson", lambda: read(page, other_url)),
                            ("the first lesson again", lambda: read(page, lesson_url)),
                            ("a reload", lambda: read(page, None))):
            visit()
            asked = requests.take()
            pages = [path for path in asked if "/lessons/" in path]
            assert asked == pages and pages, f"{step}: the server was asked for {asked}"
    finally:
        context.close()
