"""The tutor fills the daily programme on a phone, then the placed person reads it: accessible, fits 375 px."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.placements.models import PlacementEntry
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser
from tests.placements.factories import make_placement

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_the_tutor_adds_a_day_and_the_placed_person_reads_it_on_a_phone(app, live_server, browser):
    placement = make_placement()
    url = f"{live_server}/placements/{placement.id}"
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, placement.tutor.email, PASSWORD)
        page.goto(url)
        assert_accessible(page, "a placement, empty programme, at 375 px")
        page.get_by_label("Day", exact=True).fill("2026-03-03")
        page.get_by_label("Part of the day").select_option("morning")
        page.get_by_label("What", exact=True).fill("Preparing the order paper with the Table Office")
        page.get_by_label("Where").fill("Room 5207")
        page.get_by_label("With whom").fill("The deputy head of the office")
        page.get_by_role("button", name="Add to the programme").click()
        page.get_by_text("The entry is added to the daily programme.").wait_for()
        assert_accessible(page, "a placement, one programme entry, at 375 px")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        db.session.expire_all()
        assert db.session.scalars(select(PlacementEntry.what)).one() == "Preparing the order paper with the Table Office"

        context.clear_cookies()
        sign_in_in_browser(page, live_server, placement.person.email, PASSWORD)
        page.goto(url)
        assert page.get_by_text("Preparing the order paper with the Table Office").is_visible()
        assert page.get_by_role("button", name="Add to the programme").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        context.close()
