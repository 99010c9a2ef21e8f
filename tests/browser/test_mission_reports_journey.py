"""A mission report in a real browser: the head writes and submits, a trainer validates and proposes a
programme; axe at each step (every action is a plain form post)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from elearn.extensions import db
from elearn.missions.report_models import Recommendation
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.missions.reports_helpers import make_head, make_mission

pytestmark = pytest.mark.browser


def _sign_in(browser, live_server, email, contexts):
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{live_server}/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
    return page


def test_report_written_validated_and_acted_upon(browser, live_server, people):
    activity = make_mission(people["focal_point"].parliament, people["trainer"])
    head = make_head(activity, "head@example.org", full_name="Amina Head")
    contexts = []
    try:
        page = _sign_in(browser, live_server, head.email, contexts)
        page.goto(f"{live_server}/missions/{activity.id}/report")
        assert_accessible(page, "the head's draft")
        page.get_by_label("Findings").fill("The committees meet **weekly**.")
        page.get_by_role("button", name="Save the findings").click()
        page.locator("#new-text").fill("Create a parliamentary budget office")
        page.locator("#new-priority").select_option("high")
        page.get_by_role("button", name="Add", exact=True).click()
        assert_accessible(page, "a draft with a recommendation")
        page.get_by_role("button", name="Submit the report").click()
        expect(page.locator("body")).to_contain_text("Submitted for validation")

        trainer = _sign_in(browser, live_server, people["trainer"].email, contexts)
        trainer.goto(f"{live_server}/missions/{activity.id}/report")
        assert_accessible(trainer, "a submitted report")
        trainer.get_by_role("button", name="Validate the report").click()
        assert_accessible(trainer, "a validated report with its actions")
        trainer.get_by_role("button", name="Propose a programme").click()
        trainer.get_by_role("link", name="programme “Create a parliamentary budget office”").click()
        expect(trainer.locator("body")).to_contain_text("The mission(s) this programme came from")
        db.session.expire_all()
        assert db.session.query(Recommendation).one().programme_id is not None
    finally:
        for context in contexts:
            context.close()
