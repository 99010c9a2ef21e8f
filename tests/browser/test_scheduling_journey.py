"""Finding and booking a seminar in a real browser, and the trainer's pages, checked with axe."""
import pytest
from playwright.sync_api import expect

from elearn.scheduling import services
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD, make_person
from tests.scheduling.factories import make_activity

pytestmark = pytest.mark.browser


def sign_in(page, base, email):
    page.goto(f"{base}/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")


def test_learner_finds_registers_and_withdraws(people, live_server, page):
    make_activity(title="Seminar on committee hearings", capacity=1)
    sign_in(page, live_server, people["learner"].email)
    page.get_by_role("link", name="Activities").first.click()
    assert_accessible(page, "activity list")
    page.get_by_role("link", name="Seminar on committee hearings").click()
    assert_accessible(page, "activity page")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Your seat is confirmed.").first).to_be_visible()
    page.get_by_role("link", name="My schedule").click()
    expect(page.get_by_role("cell", name="Seminar on committee hearings")).to_be_visible()
    assert_accessible(page, "my schedule")
    page.get_by_role("link", name="Withdraw").click()
    expect(page.get_by_role("heading", name="Withdraw from “Seminar on committee hearings”?")).to_be_visible()
    assert_accessible(page, "withdrawal question")
    page.get_by_role("button", name="Yes, withdraw").click()
    expect(page.get_by_text("You have withdrawn")).to_be_visible()
    page.goto(f"{live_server}/activities/month")
    assert_accessible(page, "month view")


def test_trainer_removes_a_participant_and_cancels_through_the_questions(people, live_server, page):
    activity = make_activity(title="Workshop on minutes")
    services.register(activity.id, make_person(full_name="Awa Jallow"))
    sign_in(page, live_server, people["trainer"].email)
    page.goto(f"{live_server}/manage/activities/{activity.id}")
    page.get_by_role("link", name="Remove Awa Jallow").click()
    expect(page.get_by_role("heading", name="Remove Awa Jallow from “Workshop on minutes”?")).to_be_visible()
    assert_accessible(page, "removal question")
    page.get_by_label("Message to the participant (optional)").fill("Duplicate booking")
    page.get_by_role("button", name="Yes, remove").click()
    expect(page.get_by_text("Awa Jallow is removed and told by email.")).to_be_visible()
    expect(page.get_by_role("cell", name="removed by a trainer")).to_be_visible()
    page.get_by_role("link", name="Cancel the activity").click()
    page.get_by_role("link", name="No, go back").click()  # nothing happens on the way back
    expect(page.get_by_text("status: published")).to_be_visible()
    page.get_by_role("link", name="Cancel the activity").click()
    assert_accessible(page, "cancellation question")
    page.get_by_role("button", name="Yes, cancel the activity").click()
    expect(page.get_by_text("The activity is now cancelled.")).to_be_visible()


def test_trainer_pages_are_accessible(people, live_server, page):
    activity = make_activity(title="Workshop on minutes")
    sign_in(page, live_server, people["trainer"].email)
    for path in ("/manage/activities", "/manage/activities/new", f"/manage/activities/{activity.id}",
                 f"/manage/activities/{activity.id}/edit", f"/manage/sessions/{activity.sessions[0].id}/attendance",
                 "/manage/programmes/new"):
        page.goto(f"{live_server}{path}")
        assert_accessible(page, path)
