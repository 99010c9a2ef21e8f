"""The library on a phone: a trainer adds a guide, a learner finds it by a word of its text and opens it;
anonymous visitors see only public resources. Accessible, and fits 375 px, in English and in Arabic."""
from __future__ import annotations

import pytest

from elearn.extensions import db
from elearn.library.services import publish
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_trainer_adds_a_guide_and_a_learner_finds_it_on_a_phone(app, people, live_server, browser):
    publish(title="Public model standing orders", summary="For anyone.", body="", kind="model_text", language="en",
            topic_id=None, access="public", added_by=None)
    db.session.commit()
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/library")
        page.get_by_role("link", name="Public model standing orders").wait_for()
        assert_accessible(page, "the library, anonymous, at 375 px")
        assert _fits(page)

        sign_in_in_browser(page, live_server, people["trainer"].email, PASSWORD)
        page.goto(f"{live_server}/manage/library/new")
        assert_accessible(page, "the resource form at 375 px")
        assert _fits(page)
        page.get_by_role("button", name="Save").click()  # nothing filled in: explained, nothing saved
        page.locator(".field-error, .error, [role=alert]").first.wait_for()
        page.get_by_label("Title").fill("Guide to oral questions")
        page.get_by_label("Summary").fill("How a question time runs, step by step.")
        page.get_by_label("Text", exact=True).fill("The Speaker calls each question in the order of the ballot.")
        page.get_by_label("Kind").select_option(label="Guide")
        page.get_by_label("Who may read it").select_option(label="The network (signed-in people)")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("The resource is added to the library.").wait_for()
        context.clear_cookies()

        sign_in_in_browser(page, live_server, people["learner"].email, PASSWORD)
        page.goto(f"{live_server}/library")
        page.get_by_label("Words").fill("ballot")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name="Guide to oral questions").click()
        page.get_by_text("The Speaker calls each question in the order of the ballot.").wait_for()
        assert_accessible(page, "a library resource at 375 px")
        assert _fits(page)
        context.clear_cookies()

        page.goto(f"{live_server}/library")
        assert page.get_by_role("link", name="Guide to oral questions").count() == 0  # the network's, not public
    finally:
        context.close()


def test_the_library_reads_right_to_left_in_arabic_on_a_phone(app, live_server, browser):
    publish(title="دليل الأسئلة الشفوية", summary="كيف تجري جلسة الأسئلة.", body="", kind="guide", language="ar",
            topic_id=None, access="public", added_by=None)
    db.session.commit()
    context = browser.new_context(bypass_csp=True, locale="ar", viewport=PHONE, extra_http_headers={
        "Accept-Language": "ar"})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/library")
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.get_by_role("link", name="دليل الأسئلة الشفوية").wait_for()
        assert_accessible(page, "the library in Arabic at 375 px")
        assert _fits(page)
    finally:
        context.close()
