"""The mentee schedules a meeting on a phone through the real form; the pages are accessible and fit 375 px."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.mentoring.models import MentoringMeeting
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser
from tests.mentoring.meetings_helpers import make_pair

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_the_mentee_schedules_a_meeting_on_a_phone(people, live_server, browser):
    people["learner"].timezone = "Africa/Banjul"
    db.session.commit()
    pair = make_pair(mentee=people["learner"], trainer=people["trainer"])
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["learner"].email, PASSWORD)
        page.goto(f"{live_server}/mentoring/pairs/{pair.id}/meetings")
        assert_accessible(page, "a pair's meetings, none yet, at 375 px")
        page.get_by_role("link", name="Schedule a meeting").click()
        assert_accessible(page, "the meeting form at 375 px")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

        page.get_by_label("Day").fill("2031-01-15")
        page.get_by_label("Starts at").fill("10:00")
        page.get_by_label("Ends at").fill("11:00")
        page.get_by_label("Timezone of these times").select_option("Europe/Paris")
        page.get_by_label("Online meeting link").fill("https://meet.example.org/claire-lamin")
        page.get_by_label("Agenda").fill("Oral questions: how to prepare them")
        page.get_by_role("button", name="Save").click()

        page.get_by_text("The meeting is scheduled").wait_for()
        assert page.get_by_text("scheduled in Europe/Paris").is_visible()
        assert page.get_by_text("Oral questions: how to prepare them").is_visible()
        assert_accessible(page, "a pair's meetings, one scheduled, at 375 px")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        db.session.expire_all()
        meeting = db.session.scalars(select(MentoringMeeting)).one()
        assert meeting.starts_at.hour == 9 and meeting.timezone == "Europe/Paris"
    finally:
        context.close()
