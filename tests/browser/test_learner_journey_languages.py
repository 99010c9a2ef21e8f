"""A Spanish- and a Portuguese-speaking member's journey on a phone: dashboard, catalogue, the induction course
(enrol, read, quiz) and an activity, all in their language; nothing scrolls sideways and axe passes."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from elearn.learning.importing import import_path
from elearn.people.models import PersonKind
from tests.accessibility import assert_accessible
from tests.browser.test_phone_overflow import MEASURE, PHONE
from tests.factories import PASSWORD, make_person
from tests.helpers import sign_in_in_browser
from tests.scheduling.factories import make_activity

pytestmark = pytest.mark.browser

COURSE = Path(__file__).resolve().parents[2] / "courses" / "induction-new-members"
LANGUAGE_NAMES = ["English", "Français", "Español", "Português", "العربية"]
# Written out, so that the journey cannot pass in English.
DASHBOARD_WORD = {"es": "bienvenida", "pt": "Bem-vindo"}


def lesson_headings(language: str) -> tuple[str, str]:
    """The first lesson's title (front matter) and its first section heading, as written in the course file."""
    [source] = COURSE.glob(f"01-*.{language}.md")
    text = source.read_text(encoding="utf-8")
    title = re.search(r'^title = "(.*)"$', text, re.MULTILINE).group(1)
    section = re.search(r"^## (.+)$", text, re.MULTILINE).group(1).strip()
    return title, section


def in_language(language: str, message: str, **values) -> str:
    with force_locale(language):
        return gettext(message, **values)


def assert_fits_a_phone(page, where: str) -> None:
    measured = page.evaluate(MEASURE)
    assert measured["overflow"] <= 0, (f"{where}: {measured['overflow']} px too wide "
                                       f"(sticking out: {', '.join(measured['wide'])})")


def open_menu_link(page, name: str) -> None:
    """On a phone the site's links fold behind the menu button."""
    page.locator("summary.menu-button").first.click()
    page.get_by_role("navigation").first.get_by_role("link", name=name, exact=True).click()


@pytest.mark.parametrize("language", ["es", "pt"])
def test_a_member_learns_and_registers_in_their_language_on_a_phone(app, live_server, browser, language):
    import_path(COURSE)
    course = tomllib.loads((COURSE / "course.toml").read_text(encoding="utf-8"))
    quiz = tomllib.loads((COURSE / f"quiz.{language}.toml").read_text(encoding="utf-8"))["questions"]
    lesson_title, lesson_section = lesson_headings(language)
    learner = make_person(kind=PersonKind.MP, email=f"member-{language}@example.org", full_name="Inês Ramos",
                          preferred_language=language)
    activity = make_activity(title="PARL-2027", capacity=10)
    t = lambda message, **values: in_language(language, message, **values)  # noqa: E731

    # The browser asks for English: the person's own language must win once they are signed in.
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_in_browser(page, live_server, learner.email, PASSWORD)
        assert page.locator("html").get_attribute("lang") == language
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading == t("Welcome, %(name)s", name=learner.full_name)
        assert DASHBOARD_WORD[language] in heading
        assert_fits_a_phone(page, "dashboard")
        assert_accessible(page, f"dashboard ({language})")

        open_menu_link(page, t("Courses"))
        page.wait_for_url("**/courses")
        card = page.locator(".course-card", has=page.get_by_role("link", name=course["title"][language], exact=True))
        assert card.count() == 1
        facts = card.locator(".course-facts").inner_text()
        assert all(name in facts for name in LANGUAGE_NAMES), facts
        assert course["title"]["en"] not in page.content()
        assert_fits_a_phone(page, "catalogue")
        assert_accessible(page, f"catalogue ({language})")

        card.get_by_role("link", name=course["title"][language], exact=True).click()
        page.wait_for_url(f"**/courses/{course['slug']}")
        page.get_by_role("button", name=t("Enrol in this course")).click()
        page.wait_for_url("**/lessons/*")
        assert page.get_by_role("heading", level=1).inner_text() == lesson_title
        expect(page.get_by_role("heading", name=lesson_section, exact=True)).to_be_visible()
        assert t("Lesson %(number)d of %(count)d", number=1, count=6) in page.content()
        assert_fits_a_phone(page, "first lesson")
        assert_accessible(page, f"first lesson ({language})")

        for _number in range(6):
            page.get_by_role("button", name=t("Mark as done")).click()
            page.wait_for_load_state()
        page.wait_for_url(f"**/courses/{course['slug']}/quiz")
        assert page.get_by_role("heading", level=1).inner_text() == t(
            "Quiz: %(course)s", course=course["title"][language])
        assert_fits_a_phone(page, "quiz")
        assert_accessible(page, f"quiz ({language})")

        for question in quiz:
            fieldset = page.locator("fieldset", has=page.locator("legend", has_text=question["prompt"]))
            assert fieldset.count() == 1, question["prompt"]
            for option in question["options"]:
                if option["correct"]:
                    fieldset.get_by_label(option["text"], exact=True).check()
        page.get_by_role("button", name=t("Submit my answers")).click()
        page.wait_for_url("**/quiz/attempts/*")
        result = page.get_by_role("main").inner_text()
        assert t("You answered %(correct)d of %(total)d questions correctly: %(score)d%%.",
                 correct=len(quiz), total=len(quiz), score=100) in result
        assert t("You passed.") in result
        assert_fits_a_phone(page, "quiz result")

        open_menu_link(page, t("Activities"))
        page.get_by_role("link", name=activity.title, exact=True).first.click()
        page.wait_for_url(f"**/activities/{activity.id}")
        page.get_by_role("button", name=t("Register"), exact=True).click()
        page.wait_for_load_state()
        assert t("Your seat is confirmed.") in page.content()
        assert_fits_a_phone(page, "activity after registering")
    finally:
        context.close()
