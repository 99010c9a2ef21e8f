"""An alumnus joins the directory on a phone and another person finds them: accessible, and fits 375 px."""
from __future__ import annotations

import pytest

from elearn.extensions import db
from tests.accessibility import assert_accessible
from tests.alumni.factories import attend, make_alumnus, past_activity
from tests.factories import PASSWORD, make_parliament, make_person
from tests.helpers import sign_in_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_an_alumnus_joins_and_is_found_on_a_phone(app, people, live_server, browser):
    bhutan = make_parliament(name_en="Parliament of Bhutan", country_code="BT")
    me = make_person(full_name="Dechen Zangmo", position="Deputy Secretary-General", parliament=bhutan)
    attend(me, past_activity(title="Regional seminar on the official record"))
    make_alumnus(make_person(full_name="Awa Jallow"), show_email=True)
    db.session.commit()
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, me.email, PASSWORD)
        page.goto(f"{live_server}/alumni/me")
        assert_accessible(page, "the alumni settings at 375 px")
        assert _fits(page)
        page.get_by_label("List me in the alumni directory").check()
        page.get_by_label("My parliament").check()
        page.get_by_label("The activities I took part in").check()
        page.get_by_label("My short biography").check()
        page.get_by_role("button", name="Save my choices").click()
        page.get_by_text("Write a short biography, or do not choose to show it.").first.wait_for()
        page.get_by_label("Short biography", exact=True).fill("Editor of the official record.")
        page.get_by_role("button", name="Save my choices").click()
        page.get_by_text("the directory lists you").wait_for()

        other = context.browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE).new_page()
        sign_in_in_browser(other, live_server, people["learner"].email, PASSWORD)
        other.goto(f"{live_server}/alumni")
        other.get_by_label("Parliament").select_option(label="Parliament of Bhutan")
        other.get_by_role("button", name="Search").click()
        other.get_by_role("link", name="Dechen Zangmo").wait_for()
        assert other.get_by_text("Awa Jallow").count() == 0
        assert_accessible(other, "the alumni directory, searched, at 375 px")
        assert _fits(other)
        other.get_by_role("link", name="Dechen Zangmo").click()
        other.get_by_text("Editor of the official record.").wait_for()
        assert other.get_by_text("Deputy Secretary-General").count() == 0
        assert_accessible(other, "an alumnus's card at 375 px")
        assert _fits(other)
        other.context.close()
    finally:
        context.close()
