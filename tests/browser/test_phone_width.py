"""The demo's pages at phone width (375 px, French): nothing makes the whole page scroll sideways.

A wide table scrolls inside its own box; a filter's long option or a lesson's table must not widen the page.
"""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from elearn.cooperation.models import ActionPlan
from elearn.extensions import db
from tests.helpers import sign_in_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    return {"plan": db.session.scalar(select(ActionPlan.id).order_by(ActionPlan.id))}


def test_the_trainers_pages_fit_a_phone_in_french(demo, live_server, browser):
    pages = ["/activities", "/cooperation/requests", "/reports/participation", "/admin/courses",
             f"/cooperation/action-plans/{demo['plan']}", "/courses/committee-work/lessons/kinds-of-committees",
             "/courses/legislative-procedure/lessons/from-bill-to-law"]
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/account/forgot")
        page.locator("summary.menu-button").click()  # on a phone the language menu is behind the site menu
        page.locator("#language-select").select_option("fr")
        with page.expect_navigation():  # the switch posts and redirects: measure the page it lands on
            page.locator(".language-switcher button").click()
        too_wide = {}
        # Its French button's label is longer than a phone is wide.
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            too_wide["/account/forgot"] = page.evaluate("document.documentElement.scrollWidth")
        sign_in_in_browser(page, live_server, "trainer@example.org", "demo-lectern-2026")
        for path in pages:
            page.goto(f"{live_server}{path}")
            assert page.locator("html").get_attribute("lang") == "fr"
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[path] = width
        assert too_wide == {}
        # Numbers, links and dates look and are as easy to tap as the text fields beside them.
        page.goto(f"{live_server}/manage/activities/new")
        style = "el => { const s = getComputedStyle(el); return [s.fontSize, s.borderTopWidth, s.paddingTop]; }"
        text_field = page.locator("#title").evaluate(style)
        for field in ("#capacity", "#quota_per_parliament", "#online_url", "#registration_opens_at"):
            assert page.locator(field).evaluate(style) == text_field, field
    finally:
        context.close()


def test_on_a_phone_the_accept_anyway_question_is_in_view_after_changing_the_status(demo, live_server, browser):
    from elearn.cooperation.models import NeedsRequest

    library = db.session.scalar(select(NeedsRequest.id).where(NeedsRequest.title == "A catalogue for the parliamentary library"))
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, "trainer@example.org", "demo-lectern-2026")
        page.goto(f"{live_server}/cooperation/requests/{library}")
        page.locator("#status").select_option("accepted")
        page.locator("#programme_id").select_option(label="West African parliamentary strengthening 2027")
        page.locator("form[action*='/status'] input[type=submit]").click()
        accept_anyway = page.locator("button[name=confirmed_programme]")
        # The page comes back at the triage form, where the question is, not at the top of a long page.
        expect(accept_anyway).to_be_in_viewport()
    finally:
        context.close()


def test_the_report_names_each_landmark_once(demo, live_server, browser):
    # A section named by its heading held a scrolling region named by the table's caption: the same words,
    # so a screen reader's list of landmarks read every title twice (axe: landmark-unique).
    from tests.accessibility import AXE

    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, "admin@example.org", "demo-gavel-2026")
        page.goto(f"{live_server}/reports/participation")
        assert page.locator("main .table-scroll[role=region]").count() > 0
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run({runOnly: ['landmark-unique']})).violations.map(v => v.nodes.length)")
        assert violations == []
    finally:
        context.close()


def test_a_parliaments_yearly_figures_scroll_with_the_keyboard_on_a_phone(demo, live_server, browser):
    from elearn.people.models import Parliament
    from tests.accessibility import AXE

    gambia = db.session.scalar(select(Parliament.id).where(Parliament.name_en == "National Assembly of The Gambia"))
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, "focal@example.org", "demo-bridge-2026")
        page.goto(f"{live_server}/cooperation/parliaments/{gambia}")
        assert page.locator("main table.figures").count() == 1
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run({runOnly: ['scrollable-region-focusable']})).violations.map(v => v.id)")
        assert violations == []
    finally:
        context.close()


def test_the_quiz_results_and_the_sign_in_sheet_scroll_with_the_keyboard_on_a_phone(demo, live_server, browser):
    from elearn.scheduling.models import Activity, ActivitySession
    from tests.accessibility import AXE

    held = db.session.scalar(select(ActivitySession.id).join(Activity)
                             .where(Activity.title == "Workshop on committee hearings").order_by(ActivitySession.id))
    context = browser.new_context(bypass_csp=True, locale="fr-FR", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, "trainer@example.org", "demo-lectern-2026")
        for path in ("/admin/courses/committee-work/quiz-results", f"/manage/sessions/{held}/sign-in-sheet"):
            page.goto(f"{live_server}{path}")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async () => (await axe.run({runOnly: ['scrollable-region-focusable']})).violations.map(v => v.id)")
            assert violations == [], path
        # The trainer's pages are in French: the sheet's title too, with the French space before the colon.
        assert page.locator("h1").inner_text() == "Feuille d'émargement\u00a0: Workshop on committee hearings"
    finally:
        context.close()
