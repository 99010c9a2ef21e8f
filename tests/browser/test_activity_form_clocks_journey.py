"""A trainer schedules a session in the hour the clocks repeat, in a real browser, without JavaScript needed."""
import os
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from elearn.extensions import db
from elearn.scheduling.models import ActivitySession
from tests.accessibility import assert_accessible
from tests.browser.test_scheduling_journey import sign_in

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")  # a folder, to look at the form by eye


def test_the_form_asks_which_repeated_time_and_every_session_input_has_its_own_name(people, live_server, page):
    sign_in(page, live_server, people["trainer"].email)
    page.goto(f"{live_server}/manage/activities/new")
    page.get_by_label("Title", exact=True).fill("Night session")
    page.get_by_label("Timezone of the activity", exact=True).fill("Europe/Paris")
    # Each session input is named by its row: the second row is reachable by its own name.
    page.get_by_label("Session 2: First day", exact=True).fill("2027-11-02")
    page.get_by_label("Session 2: Starts at", exact=True).fill("09:00")
    page.get_by_label("Session 2: Ends at", exact=True).fill("10:00")
    page.get_by_label("Session 1: First day", exact=True).fill("2027-10-31")
    page.get_by_label("Session 1: Starts at", exact=True).fill("02:30")
    page.get_by_label("Session 1: Ends at", exact=True).fill("03:30")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("2:30\u202fAM occurs twice that day. Say which one you mean.").first).to_be_visible()
    assert_accessible(page, "the activity form asking which 02:30")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/occurrence-desktop.png", full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=f"{SCREENSHOTS}/occurrence-375.png", full_page=True)
    page.get_by_role("radio", name="Session 1: the second 2:30\u202fAM (UTC+01:00)").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("saved as a draft")).to_be_visible()
    first = db.session.scalars(select(ActivitySession).order_by(ActivitySession.starts_at)).first()
    assert first.starts_at == datetime(2027, 10, 31, 1, 30, tzinfo=timezone.utc)
