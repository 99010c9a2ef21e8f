"""The check-in page on a phone, as a door helper uses it: the code typed (as a handheld scanner types it) into the
field that has the focus on arrival, Enter, and the result in large print; then the same page in Arabic."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from elearn.database import utcnow
from elearn.extensions import db
from elearn.onsite.models import CheckInHelper
from elearn.scheduling.models import ActivitySession
from tests import factories
from tests.accessibility import assert_accessible
from tests.helpers import sign_in_in_browser
from tests.onsite.factories import participant, two_day_activity

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_helper_types_a_code_at_phone_width(app, live_server, browser):
    activity = two_day_activity(title="Séminaire sur le travail en commission")
    registration, code = participant(activity, full_name="Mariama Bah",
                                     parliament=factories.make_parliament(name_en="National Assembly of Niger"))
    helper = factories.make_person(email="door@example.org")
    db.session.add(CheckInHelper(activity_id=activity.id, person_id=helper.id))
    db.session.execute(update(ActivitySession).where(ActivitySession.id == activity.sessions[0].id).values(
        starts_at=utcnow() - timedelta(minutes=5), ends_at=utcnow() + timedelta(hours=3)))
    db.session.commit()
    context = browser.new_context(viewport=PHONE, locale="en-GB", bypass_csp=True)  # bypass: to inject axe
    try:
        page = context.new_page()
        # The form's own path, as on a browser where the page's scripts do not run: the scripts' path (the
        # answer without a reload, the offline queue, the camera) is tests/browser/test_check_in_offline.py's.
        page.route(re.compile(r"/js/check-in[^/?]*\.js(\?|$)"), lambda route: route.abort())  # ?v=<hash> or not
        sign_in_in_browser(page, live_server, helper.email, factories.PASSWORD)
        page.goto(f"{live_server}/check-in/{activity.id}")
        expect(page.locator("#code")).to_be_focused()  # a scanner types without a tap first
        page.keyboard.type(code[:8].lower() + "-" + code[8:])
        page.keyboard.press("Enter")
        page.wait_for_selector(".check-in-result")
        result = page.locator(".check-in-result")
        assert result.locator("h2").inner_text() == "Checked in"
        assert result.locator(".check-in-name").inner_text() == "Mariama Bah"
        assert "National Assembly of Niger" in result.inner_text()
        assert "1 of 1 confirmed participant checked in" in page.locator("main").inner_text()
        expect(page.locator("#code")).to_be_focused()  # ready for the next one
        assert fits_the_phone(page)
        assert_accessible(page, "check-in page after a scan")

        helper.preferred_language = "ar"
        db.session.commit()
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.wait_for_selector(".check-in-already")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator(".check-in-result h2").inner_text() == "سُجّل الحضور من قبل"
        assert fits_the_phone(page)
        assert_accessible(page, "check-in page in Arabic")
    finally:
        context.close()
