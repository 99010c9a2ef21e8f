"""A lesson with its diagram on a phone: the progress through the course, the diagram loaded and sized, nothing wider
than the screen, and axe-clean, in English and French; and the same lesson printed."""
from pathlib import Path

import pytest

from elearn.extensions import db
from elearn.learning.importing import import_path
from elearn.learning.lookups import active_lessons, course_by_slug
from elearn.learning.progress import mark_lesson_done
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser
from tests.learning.factories import SVG, enrol, write_course

pytestmark = pytest.mark.browser

COURSES = Path(__file__).resolve().parents[2] / "courses"
PHONE = {"width": 375, "height": 812}


def sign_in(page, live_server, person):
    sign_in_in_browser(page, live_server, person.email, PASSWORD)


# The lesson of each shipped course that shows its diagram.
DIAGRAM_LESSONS = {"legislative-procedure": "from-bill-to-law", "committee-work": "the-committee-cycle",
                   "induction-new-members": "the-plenary-sitting"}


def diagram_fits(page, url: str):
    """Open the lesson, wait for its one diagram to load, and check that nothing is wider than the screen."""
    page.goto(url)
    diagram = page.locator(".lesson-body img")
    assert diagram.count() == 1
    diagram.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=diagram.element_handle())
    box = diagram.bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] > box["width"]  # a tall diagram, scaled to the screen
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className).slice(-3)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth"), wide
    return diagram


@pytest.mark.parametrize(("locale", "alt_start", "progress"), [
    ("en-GB", "The six stages in order", "1 of 6 lessons done"),
    ("fr-FR", "Les six étapes dans l’ordre", "Leçons terminées : 1 sur 6"),
])
def test_a_lesson_and_its_diagram_fit_a_phone(app, people, live_server, browser, locale, alt_start, progress):
    import_path(COURSES)
    enrolments = {slug: enrol(people["learner"], course_by_slug(slug)) for slug in DIAGRAM_LESSONS}
    people["learner"].preferred_language = locale[:2]
    db.session.commit()
    mark_lesson_done(enrolments["legislative-procedure"], active_lessons(course_by_slug("legislative-procedure"))[1])
    # First under the site's real Content-Security-Policy: the diagram must load as an image.
    for bypass_csp in (False, True):
        context = browser.new_context(bypass_csp=bypass_csp, locale=locale, viewport=PHONE)
        try:
            page = context.new_page()
            sign_in(page, live_server, people["learner"])
            diagram = diagram_fits(page, f"{live_server}/courses/legislative-procedure/lessons/from-bill-to-law")
            assert diagram.get_attribute("alt").startswith(alt_start)
            assert page.locator("#course-progress-text").inner_text() == progress
            assert page.locator(".lesson-progress-bar progress").evaluate("bar => [bar.value, bar.max]") == [1, 6]
            if bypass_csp:
                assert_accessible(page, f"lesson with a diagram at 375 px ({locale})")
                for slug in ("committee-work", "induction-new-members"):
                    diagram_fits(page, f"{live_server}/courses/{slug}/lessons/{DIAGRAM_LESSONS[slug]}")
                    assert_accessible(page, f"{slug} lesson with a diagram at 375 px ({locale})")
        finally:
            context.close()


def test_a_lesson_prints_as_an_article_with_its_diagram_and_link_addresses(app, people, live_server, page, tmp_path):
    folder = write_course(tmp_path, "committee-work", lessons=2)
    (folder / "stages.en.svg").write_text(SVG.format(title="The stages"))
    lesson = folder / "01-lesson-1.en.md"
    lesson.write_text(lesson.read_text() + "\n![The stages of a bill](stages.en.svg)\n\n"
                      "Read [the rules](https://example.org/rules) or [write to us](mailto:clerk@example.org).\n")
    import_path(tmp_path)
    enrol(people["learner"], course_by_slug("committee-work"))
    sign_in(page, live_server, people["learner"])
    page.goto(f"{live_server}/courses/committee-work/lessons/lesson-1")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".breadcrumb", ".lesson-outline", ".lesson-actions", ".pager", ".lesson-progress-bar"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.get_by_role("heading", level=1).is_visible() and page.get_by_text("Lesson 1 of 2").is_visible()
    diagram = page.locator(".lesson-body img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=diagram.element_handle())
    assert diagram.is_visible() and diagram.evaluate("img => getComputedStyle(img).breakInside") == "avoid"
    after = "a => getComputedStyle(a, '::after').content"
    assert page.get_by_role("link", name="the rules").evaluate(after) == '" (https://example.org/rules)"'
    assert page.get_by_role("link", name="write to us").evaluate(after) == '" (mailto:clerk@example.org)"'
    assert page.locator("article.lesson").evaluate("a => a.getBoundingClientRect().width") <= 170 / 25.4 * 96 + 1  # 170 mm
