"""Roster pages in a browser at phone width: no sideways page scroll, accessible, and usable without script."""
from __future__ import annotations

from datetime import date

import pytest

from elearn.access import Role
from elearn.missions.models import LanguageLevel
from tests import factories
from tests.accessibility import assert_accessible
from tests.helpers import sign_in_in_browser
from tests.missions.roster_helpers import assisting_parliament, expert, topics

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_search_and_own_profile_on_a_phone_without_script(people, live_server, browser):
    known = topics()
    parliament = assisting_parliament()
    for n in range(30):
        expert(parliament, f"Expert with a rather wordy name {n:02d}", topics_=[known["budget"], known["oversight"]],
               languages=[("fr", LanguageLevel.NATIVE), ("en", LanguageLevel.WORKING)], keywords="budget, audit",
               periods=[(date(2030, 1, 1), date(2030, 1, 31))])
    member = factories.make_person(Role.LEARNER, parliament=parliament, email="member@example.org")
    context = browser.new_context(bypass_csp=True, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["trainer"].email, factories.PASSWORD)
        page.goto(f"{live_server}/manage/experts")
        page.select_option("#language", "fr")
        page.fill("#available_from", "2030-01-05")
        page.fill("#available_to", "2030-01-09")
        page.click("form.filters button[type=submit]")
        assert "language=fr" in page.url and page.locator("main table tbody tr").count() == 25
        assert _fits(page)
        page.click("nav.pagination a[rel=next]")
        assert page.locator("main table tbody tr").count() == 5 and "language=fr" in page.url
        second_page = page.url
        page.click("main table tbody tr a")
        assert "Expert:" in page.locator("h1").inner_text() and _fits(page)
        profile = page.url
    finally:
        context.close()
    context = browser.new_context(bypass_csp=True, viewport=PHONE)  # axe needs script
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["admin"].email, factories.PASSWORD)
        page.goto(second_page)
        assert_accessible(page, "expert search at 375 px")
        page.goto(profile)
        assert _fits(page)
        assert_accessible(page, "an expert's profile with the administrator's form at 375 px")
    finally:
        context.close()
    context = browser.new_context(bypass_csp=True, viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, member.email, factories.PASSWORD)
        page.goto(f"{live_server}/experts/me")
        assert _fits(page)
        assert_accessible(page, "own expert profile at 375 px")
        page.fill("#summary", "Clerk")
        page.select_option("#languages-0-language", "fr")
        page.click("form.form button[type=submit], form.form input[type=submit]")
        assert page.locator(".error-summary").count() == 1  # a language without a level
        assert_accessible(page, "own expert profile with errors")
        page.select_option("#languages-0-level", "fluent")
        page.click("form.form input[type=submit]")
        assert "Your expert profile is saved." in page.content()
    finally:
        context.close()
