"""Notification settings and an unsubscribe link in a real browser, checked with axe."""
import pytest
from playwright.sync_api import expect

from elearn.notifications.models import OptionalMail
from elearn.notifications.services import unsubscribe_token
from elearn.topics import seed_topics
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_a_learner_turns_reminders_off_and_unsubscribes_from_the_digest(app, people, live_server, page):
    seed_topics()
    learner = people["learner"]
    token = unsubscribe_token(learner.id, OptionalMail.DIGEST)
    page.goto(f"{live_server}/account/login")
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")

    page.goto(f"{live_server}/account/profile")
    page.get_by_role("link", name="Choose which mails you get").click()
    page.wait_for_url("**/account/notifications/")
    assert_accessible(page, "notification settings")
    page.get_by_label("Reminders before the activities where my seat is confirmed").uncheck()
    page.get_by_label("Budget and financial management").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_role("status").first).to_contain_text("Your choices are saved.")
    expect(page.get_by_label("Reminders before the activities where my seat is confirmed")).not_to_be_checked()
    expect(page.get_by_label("Budget and financial management")).to_be_checked()

    page.goto(f"{live_server}/account/notifications/unsubscribe/{token}")
    assert_accessible(page, "unsubscribe confirmation")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status").first).to_contain_text("you will no longer receive the weekly digest")
    assert_accessible(page, "unsubscribed")
    page.goto(f"{live_server}/account/notifications/")
    assert not page.get_by_label("A weekly digest of new activities open to me").is_checked()
