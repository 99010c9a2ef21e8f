"""A learner's first visit in a real browser, checked with axe at each step."""
import pytest
from playwright.sync_api import expect

from tests.accessibility import assert_accessible
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_learner_signs_in_switches_to_french_and_signs_out(people, live_server, page):
    learner = people["learner"]
    page.goto(f"{live_server}/")
    assert_accessible(page, "home page")

    page.get_by_role("link", name="Sign in").first.click()
    page.wait_for_url("**/account/login")
    assert_accessible(page, "sign-in page")
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
    assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {learner.full_name}"
    assert_accessible(page, "dashboard in English")

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_function("document.documentElement.lang === 'fr'")
    assert page.get_by_role("heading", level=1).inner_text() == f"Bienvenue, {learner.full_name}"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert_accessible(page, "dashboard in French")

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{live_server}/")
    assert "Votre session est fermée" in page.content()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
    assert_accessible(page, "home page after signing out")


def test_moving_through_the_language_menu_with_the_keyboard_does_not_leave_the_page(people, live_server, page):
    # WCAG 3.2.2: choosing in a menu is not a request to go; only the button changes the language.
    page.goto(f"{live_server}/courses?q=budget")
    menu = page.get_by_label("Language", exact=True)
    menu.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)  # long enough for a submission on change to have started
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == f"{live_server}/courses?q=budget"
    assert menu.input_value() == "fr"
    assert page.get_by_label("Search").input_value() == "budget"

    page.get_by_role("button", name="Change").click()
    page.wait_for_function("document.documentElement.lang === 'fr'")
    assert page.url == f"{live_server}/courses?q=budget"


def test_language_switcher_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/account/login")
        page.get_by_label("Language").select_option("fr")
        page.get_by_role("button", name="Change").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")  # the same address, in French now
    finally:
        context.close()


def test_sign_in_errors_are_announced(people, live_server, page):
    page.goto(f"{live_server}/account/login")
    page.get_by_label("Email").fill(people["learner"].email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert").first
    assert "not correct" in alert.inner_text()
    assert_accessible(page, "sign-in page with an error")
