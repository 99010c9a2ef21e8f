"""The calendar pages in a real browser: building a feed address, copying a private one, checked with axe."""
import re

import pytest
from playwright.sync_api import expect

from tests.accessibility import assert_accessible
from tests.browser.test_scheduling_journey import sign_in
from tests.scheduling.factories import make_activity, make_programme

pytestmark = pytest.mark.browser


def test_building_a_filtered_address_without_javascript_knowledge(live_server, page):
    make_activity(title="Budget seminar", programme=make_programme(slug="west-africa", title="West Africa"))
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Calendar", exact=True).click()
    assert_accessible(page, "calendar page")
    page.locator("summary", has_text="Modality").click()  # opens the group
    page.get_by_label("Seminar", exact=True).check()
    page.get_by_role("button", name="Update the address").click()
    address = page.get_by_label("Address for Google Calendar, Outlook and Thunderbird (https://)")
    expect(address).to_have_value(re.compile(r"/calendar\.ics\?modality=seminar$"))
    assert page.get_by_label("Address for Apple Calendar (webcal://)").input_value().startswith("webcal://")
    assert_accessible(page, "calendar page with filters")


def test_a_private_address_is_made_shown_once_and_copied(people, live_server, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    sign_in(page, live_server, people["learner"].email)
    page.get_by_role("link", name="Calendar subscriptions").click()
    assert_accessible(page, "subscriptions page, no address yet")
    page.get_by_role("button", name="Make my private address").click()
    address = page.get_by_label("Address for Google Calendar, Outlook and Thunderbird (https://)").input_value()
    assert "/feeds/" in address
    copy = page.get_by_role("button", name="Copy the https:// address")
    copy.wait_for(state="visible", timeout=10000)  # shown by the script; hidden without it
    copy.click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert_accessible(page, "subscriptions page with a new address")
    page.reload()
    assert address not in page.content()
    page.get_by_role("link", name="Stop this address").click()
    expect(page.get_by_role("heading", name="Stop your private calendar address?")).to_be_visible()
    assert_accessible(page, "stop question")
    page.get_by_role("button", name="Yes, stop the address").click()
    expect(page.get_by_text("no longer works").first).to_be_visible()
