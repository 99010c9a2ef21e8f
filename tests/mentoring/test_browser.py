"""On a phone: a trainer proposes a pair through the real form; the mentee accepts it, marks an objective and
writes in the pair's log. Each page is accessible (axe) and fits 375 px."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.mentoring import pairs
from elearn.mentoring.models import MentoringNote, MentoringPair, ObjectiveStatus, PairStatus
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url


def test_a_pair_is_proposed_accepted_and_keeps_its_log_on_a_phone(world, live_server, browser):
    trainer = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    mentee = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    try:
        page = trainer.new_page()
        sign_in_in_browser(page, live_server, world.trainer.email, PASSWORD)
        page.goto(f"{live_server}/manage/mentoring/new")
        assert_accessible(page, "proposing a pair, at 375 px")
        fits(page)
        page.get_by_label("Mentor", exact=True).select_option(label="Marie Mentor (Assemblée nationale)")
        page.get_by_label("Mentee", exact=True).select_option(str(world.mentee.id))
        page.get_by_label("Purpose").fill("Learn how committees scrutinise the budget.")
        page.get_by_label("Objectives").fill("Read a committee report\nDraft a written question")
        page.get_by_role("button", name="Propose the pair").click()
        page.get_by_text("The pair is proposed.").wait_for()
        assert_accessible(page, "a proposed pair, its trainer's view, at 375 px")
        fits(page)

        db.session.expire_all()
        pair = db.session.scalar(select(MentoringPair))
        pairs.accept(pair, world.mentor)

        page = mentee.new_page()
        sign_in_in_browser(page, live_server, world.mentee.email, PASSWORD)
        page.goto(f"{live_server}/mentoring")
        assert_accessible(page, "my mentoring, waiting for an answer, at 375 px")
        fits(page)
        page.get_by_role("link", name="Mentored by Marie Mentor").click()
        page.get_by_role("button", name="Accept").click()
        page.get_by_text("You accepted the pairing.").wait_for()

        page.get_by_label("Progress").first.select_option("progressing")
        page.get_by_role("button", name="Update").first.click()
        page.get_by_text("The objective's progress is saved.").wait_for()
        page.get_by_label("Note").fill("We agreed to meet on the first Monday of each month.")
        page.get_by_role("button", name="Add to the log").click()
        page.get_by_text("Your note is in the pair's log.").wait_for()
        assert page.get_by_text("first Monday of each month").is_visible()
        assert_accessible(page, "an active pair with its log, at 375 px")
        fits(page)

        db.session.expire_all()
        pair = db.session.scalar(select(MentoringPair))
        assert pair.status == PairStatus.ACTIVE
        assert pair.objectives[0].status == ObjectiveStatus.PROGRESSING
        assert db.session.scalar(select(MentoringNote.author_id)) == world.mentee.id
    finally:
        trainer.close()
        mentee.close()
