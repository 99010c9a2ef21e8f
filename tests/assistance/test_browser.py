"""On a phone: a partner's staff member asks with a file, the unit assigns it, the expert answers; each page is
accessible and fits 375 px."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.assistance.models import AssistanceQuestion, QuestionStatus
from elearn.extensions import db
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_ask_assign_answer_on_a_phone(world, people, live_server, browser, tmp_path):
    upload = tmp_path / "Règlement intérieur – commission des finances.pdf"
    upload.write_bytes(b"%PDF-1.7\n%%EOF\n")
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["learner"].email, PASSWORD)
        page.goto(f"{live_server}/assistance/ask")
        assert_accessible(page, "asking a question at 375 px")
        assert fits(page)
        page.get_by_label("Title").fill("Quorum of the finance committee during a plenary sitting")
        page.get_by_label("Your question").fill("How do you count it, and who authorises the meeting?")
        page.get_by_label("Topic").select_option(label="Budget and financial management")
        page.get_by_label("Urgency").select_option("urgent")
        page.get_by_label("Attachments").set_input_files(str(upload))
        page.get_by_role("button", name="Send the question").click()
        page.get_by_text("Your question is sent.").wait_for()
        assert page.get_by_role("link", name=upload.name).is_visible()
        assert_accessible(page, "a question just asked at 375 px")
        assert fits(page)
        question_url = page.url

        staff = context.new_page()
        context.clear_cookies()
        sign_in_in_browser(staff, live_server, people["trainer"].email, PASSWORD)
        staff.goto(f"{live_server}/manage/assistance")
        assert_accessible(staff, "the unit's queue at 375 px")
        assert fits(staff)
        staff.get_by_role("link", name="Quorum of the finance committee during a plenary sitting").click()
        staff.get_by_label("Expert", exact=True).select_option(label="Claire Budget-Expert (French National Assembly)")
        staff.get_by_role("button", name="Assign", exact=True).click()
        staff.get_by_text("The question is assigned to Claire Budget-Expert").wait_for()
        assert_accessible(staff, "a question with its assignment form at 375 px")
        assert fits(staff)

        context.clear_cookies()
        expert = context.new_page()
        sign_in_in_browser(expert, live_server, world["expert"].email, PASSWORD)
        expert.get_by_role("link", name="Quorum of the finance committee during a plenary sitting").click()
        expert.get_by_label("Your reply").fill("Members present count; the Speaker authorises the meeting.")
        expert.get_by_role("button", name="Send the reply").click()
        expert.get_by_text("Your reply is added to the thread.").wait_for()
        assert expert.url.split("#")[0] == question_url
        assert fits(expert)
        db.session.expire_all()
        question = db.session.scalars(select(AssistanceQuestion)).one()
        assert question.status == QuestionStatus.ANSWERED and question.expert_id == world["expert"].id
    finally:
        context.close()
