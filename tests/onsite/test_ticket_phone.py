"""The ticket on a phone (375 px), as a participant shows it at the door: it fits, it is accessible, and the
QR code the browser draws from the page's SVG is read back by a real decoder as the ticket's code."""
from __future__ import annotations

import pytest

from elearn.extensions import db
from elearn.onsite import tickets
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser
from tests.onsite.conftest import confirm
from tests.onsite.qr_reading import read_png

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_ticket_fits_a_phone_reads_back_and_passes_axe(app, live_server, page, seminar, gambia):
    registration = confirm(seminar, full_name="Awa Jallow", parliament=gambia, email="awa@example.org")
    code = tickets.ticket_of(registration).code
    page.set_viewport_size(PHONE)
    sign_in_in_browser(page, live_server, "awa@example.org", PASSWORD)

    page.goto(f"{live_server}/activities/{seminar.id}")

    qr = page.locator("main .ticket-qr")
    assert qr.bounding_box()["width"] <= PHONE["width"]
    assert read_png(qr.screenshot()) == [code]  # the SVG as the screen shows it
    assert page.locator("main .ticket-code").inner_text().endswith(tickets.grouped(code))
    assert fits_the_phone(page)
    assert_accessible(page, "the activity page with its ticket, at 375 px")

    page.locator("main .ticket-panel a").click()  # the printable ticket
    assert page.locator("main h1").inner_text() == "Budget oversight seminar"
    assert read_png(page.locator("main .ticket-qr").screenshot()) == [code]
    assert fits_the_phone(page)
    assert_accessible(page, "the printable ticket, at 375 px")

    registration.person.preferred_language = "ar"
    db.session.commit()
    page.reload()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert fits_the_phone(page)
    assert read_png(page.locator("main .ticket-qr").screenshot()) == [code]
