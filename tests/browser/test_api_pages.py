"""The API's two pages in a browser: the documentation (Swagger UI under the site's CSP) and the tokens page
on a phone."""
import pytest

from tests.accessibility import assert_accessible
from tests.factories import PASSWORD, make_parliament
from tests.helpers import sign_in_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
# Collects what the Content Security Policy blocks, from before the page's first script runs.
WATCH_CSP = ("window.__cspViolations = [];"
             "document.addEventListener('securitypolicyviolation',"
             " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));")
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def test_the_documentation_lists_the_operations_without_breaking_the_csp(app, live_server, browser):
    make_parliament(name_en="Assembly", country_code="QA")
    context = browser.new_context(locale="en-GB")  # the site's CSP in force, unlike the `page` fixture
    try:
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.add_init_script(WATCH_CSP)
        page.goto(live_server + "/api/v1/docs")
        page.locator(".opblock").first.wait_for()
        explorer = page.locator("#api-explorer").inner_text()
        assert "/api/v1/parliaments/" in explorer and "/api/v1/parliaments/{parliament_id}" in explorer
        violations = page.evaluate("() => window.__cspViolations")
        blocked = [text for text in console if "Content Security Policy" in text]
        assert not violations and not blocked, f"CSP violations on the API docs: {violations} {blocked}"
    finally:
        context.close()


def test_a_learner_makes_a_token_on_a_phone(app, people, live_server, browser):
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)  # bypass: axe is injected
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["learner"].email, PASSWORD)
        page.goto(live_server + "/account/api-tokens/")
        assert page.evaluate(OVERFLOW) <= 0, "the tokens page scrolls sideways at 375 px"
        assert_accessible(page, "the API tokens page at 375 px")
        page.locator("#name").fill("Parliament HR system")
        page.locator("input[value='read:self']").check()
        page.locator("form[action$='/api-tokens/'] button[type=submit]").click()
        secret = page.locator("#new-token").input_value()
        assert secret.startswith("hmc_")
        assert page.evaluate(OVERFLOW) <= 0, "the new token makes the page scroll sideways at 375 px"
        assert_accessible(page, "the API tokens page showing a new token at 375 px")
    finally:
        context.close()
