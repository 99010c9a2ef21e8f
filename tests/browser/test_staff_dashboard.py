"""The trainer's dashboard in a real browser, at desktop and phone width: what to do next, and axe-clean."""
from datetime import datetime, timedelta

import pytest

from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.scheduling.models import ActivityStatus, Registration, RegistrationState
from tests import factories
from tests.accessibility import assert_accessible
from tests.cooperation.factories import make_request
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_activity, one_session

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.fixture
def trainers_week(people):
    trainer = people["trainer"]
    workshop = make_activity(title="Workshop on budget hearings and the scrutiny of public accounts",
                             sessions=one_session(days_ahead=7), capacity=2, trainer_ids=(trainer.id,),
                             approval_required=True)
    for state in (RegistrationState.CONFIRMED, RegistrationState.REQUESTED):
        person = factories.make_person()
        db.session.add(Registration(activity_id=workshop.id, person_id=person.id, state=state))
    db.session.commit()
    start = datetime.combine(utcnow().date() - timedelta(days=2), datetime.min.time()).replace(hour=9)
    held = make_held_activity([(start, start.replace(hour=16))], title="Clinic on committee reports",
                              status=ActivityStatus.PUBLISHED, timezone="UTC", trainers=[trainer])
    attend(held, people["learner"])
    make_request(people["focal_point"], title="Help with the plenary record")
    return held


@pytest.mark.parametrize("size", SIZES)
def test_the_trainers_dashboard_says_what_to_do_next_and_leads_to_the_attendance_sheet(
        people, live_server, browser, trainers_week, size):
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=SIZES[size])
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["trainer"].email, PASSWORD)
        assert_accessible(page, f"trainer's dashboard ({size})")
        coming = page.get_by_role("region", name="Your activities in the coming weeks")
        assert "1 of 2 seats taken" in coming.inner_text() and "1 awaiting approval" in coming.inner_text()
        assert page.get_by_role("region", name="Requests to triage").get_by_role(
            "link", name="Help with the plenary record").is_visible()
        for absent in ("Mail that could not be sent", "Recent sensitive events", "Administration"):
            assert page.get_by_role("heading", name=absent).count() == 0
        # The panels fit the screen: nothing in them pushes the page sideways.
        overflow = page.locator("main .staff-panel").evaluate_all(
            "panels => panels.filter(p => p.getBoundingClientRect().right > window.innerWidth + 1"
            " || p.scrollWidth > p.clientWidth + 1).length")
        assert overflow == 0
        page.get_by_role("region", name="Sessions awaiting attendance").get_by_role(
            "link", name="Take attendance: Clinic on committee reports").click()
        page.wait_for_url(f"**/manage/sessions/{trainers_week.sessions[0].id}/attendance")
        assert "Clinic on committee reports" in page.locator("h1").inner_text()
    finally:
        context.close()


def test_the_administrators_dashboard_at_phone_width_shows_outbox_failures_and_audit_events(
        people, live_server, browser, trainers_week):
    db.session.add(OutboxMessage(kind="test", to_address="a-very-long-address-that-never-breaks@parliament.example.org",
                                 subject="Your place is confirmed", body_text="…", status=OutboxStatus.FAILED,
                                 attempts=8, last_error="550 5.1.1 mailbox unavailable " * 6))
    db.session.add(AuditEvent(action=AuditAction.LOGIN_FAILED, object_type="person",
                              details={"email": "intruder@example.net"}))
    db.session.commit()
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=SIZES["phone"])
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["admin"].email, PASSWORD)
        assert_accessible(page, "administrator's dashboard at 375 px")
        assert "Your place is confirmed" in page.get_by_role("region", name="Mail that could not be sent").inner_text()
        assert "intruder@example.net" in page.get_by_role("region", name="Recent sensitive events").inner_text()
        overflow = page.locator("main .staff-panel").evaluate_all(
            "panels => panels.filter(p => p.getBoundingClientRect().right > window.innerWidth + 1"
            " || p.scrollWidth > p.clientWidth + 1).length")
        assert overflow == 0
        page.get_by_role("link", name="See the 1 failed message in the outbox").click()
        page.wait_for_url("**/admin/outbox/?status=failed")
    finally:
        context.close()
