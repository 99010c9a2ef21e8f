"""Strong sign-in in a real browser at phone width: enrolment from the QR page, then a sign-in with a code.

The Content-Security-Policy is left on, so the QR code must show without inline script or style.
"""
import time

import pyotp
import pytest
from playwright.sync_api import expect

from elearn.access import Role
from tests import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
HEADINGS = {"en-GB": ("Set up two-step sign-in", "Two-step sign-in"),
            "fr-FR": ("Configurer la connexion en deux étapes", "Connexion en deux étapes")}


@pytest.fixture
def app(make_app):
    application = make_app(TWO_FACTOR_REQUIRED_ROLES=("admin", "trainer", "focal_point"))
    with application.app_context():
        yield application


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def type_password(page, base_url, email):
    page.goto(f"{base_url}/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("main form [type=submit]").click()


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_enrol_then_sign_in_with_a_code_on_a_phone(app, live_server, browser, locale):
    trainer = factories.make_person(Role.TRAINER, email="trainer@example.org", preferred_language=locale[:2])
    context = browser.new_context(locale=locale, viewport=PHONE)  # CSP on
    try:
        page = context.new_page()
        blocked = []
        page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text
                else None)
        type_password(page, live_server, trainer.email)
        # The role requires it: the first page after the password is the enrolment.
        page.wait_for_url("**/account/two-factor")
        assert page.locator("h1").inner_text() == HEADINGS[locale][0]
        qr = page.locator("main .qr-code img")
        assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
        assert qr.bounding_box()["width"] <= PHONE["width"]
        assert fits_the_phone(page)
        secret = page.locator("#secret-key").inner_text().replace(" ", "")
        totp = pyotp.TOTP(secret)
        # The code of the previous 30 seconds (clock drift is allowed): the sign-in below can use the current one.
        page.locator("#code").fill(totp.at(time.time() - 30))
        page.locator("main form [type=submit]").click()
        codes = page.locator("main .recovery-codes li")
        expect(codes).to_have_count(10)
        assert fits_the_phone(page)
        page.locator("main a.button").click()
        page.wait_for_url("**/dashboard")
        context.close()

        context = browser.new_context(locale=locale, viewport=PHONE)
        page = context.new_page()
        type_password(page, live_server, trainer.email)
        page.wait_for_url("**/account/sign-in/code")
        assert page.locator("h1").inner_text() == HEADINGS[locale][1]
        assert "30" in page.locator("label[for=trust]").inner_text()
        assert fits_the_phone(page)
        assert page.locator("#code").get_attribute("autocomplete") == "one-time-code"
        page.locator("#code").fill(totp.now())
        page.locator("#trust").check()
        page.locator("main form [type=submit]").click()
        page.wait_for_url("**/dashboard")
        page.goto(f"{live_server}/account/devices")
        assert page.locator("main .card").count() == 1
        assert fits_the_phone(page)
        assert not blocked, blocked
    finally:
        context.close()
