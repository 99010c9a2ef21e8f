"""The learner's and the focal point's dashboards on a phone: the next step first, nothing sideways, axe clean."""
import pytest
from playwright.sync_api import expect

from elearn.extensions import db
from elearn.learning.lookups import active_lessons
from elearn.learning.progress import mark_lesson_done
from elearn.people.models import PersonKind, PoliticalSide
from elearn.scheduling import services
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD, make_person
from tests.helpers import sign_in_in_browser
from tests.learning.factories import complete_course, enrol, make_course
from tests.scheduling.factories import make_activity, one_session

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def signed_in_page(browser, live_server, email: str, locale: str):
    context = browser.new_context(bypass_csp=True, locale=locale, viewport=PHONE)
    page = context.new_page()
    sign_in_in_browser(page, live_server, email, PASSWORD)
    return context, page


def assert_fits_the_phone(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the dashboard scrolls sideways: {width[0]} px in {width[1]} px"


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_the_learner_dashboard_on_a_phone(people, live_server, browser, locale):
    learner = people["learner"]
    seminar = make_activity(title="Regional seminar on budget oversight and the scrutiny of public accounts",
                            sessions=one_session(days_ahead=4), online_url="https://meet.example.org/a-long-room-name",
                            venue_name="Parliament building", venue_city="Banjul", timezone="Africa/Banjul")
    services.register(seminar.id, learner)
    full = make_activity(title="Full workshop", capacity=1)
    services.register(full.id, make_person())
    services.register(full.id, learner)
    course = make_course("committees", lessons=4)
    mark_lesson_done(enrol(learner, course), active_lessons(course)[0])
    complete_course(learner, make_course("procedure", lessons=1))
    learner.preferred_language = locale[:2]
    db.session.commit()
    context, page = signed_in_page(browser, live_server, learner.email, locale)
    try:
        if locale.startswith("fr"):
            assert page.locator("#next-sessions-title").inner_text() == "Vos prochaines séances"
        main = page.locator("main")
        assert main.locator("h2").first.inner_text() in ("Your next sessions", "Vos prochaines séances")
        assert main.locator("progress").first.get_attribute("value") == "25"
        assert page.locator(f'a[href*="/activities/{seminar.id}.ics"]').count() == 1
        resume = page.locator('a[href$="/courses/committees/lessons/lesson-2"]')
        expect(resume).to_be_visible()
        assert_fits_the_phone(page)
        assert_accessible(page, f"learner dashboard at 375 px ({locale})")
        resume.click()
        page.wait_for_url("**/courses/committees/lessons/lesson-2")
    finally:
        context.close()


def test_a_newcomers_dashboard_on_a_phone(people, live_server, browser):
    make_activity(title="Open regional seminar")
    make_course("committees", lessons=2)
    context, page = signed_in_page(browser, live_server, people["learner"].email, "en-GB")
    try:
        assert page.locator("main h2").first.inner_text() == "Where to start"
        expect(page.get_by_role("link", name="Open regional seminar")).to_be_visible()
        assert_fits_the_phone(page)
        assert_accessible(page, "newcomer's dashboard at 375 px")
    finally:
        context.close()


def test_the_focal_point_dashboard_on_a_phone(people, live_server, browser):
    focal = people["focal_point"]
    activity = make_activity(title="Exchange visit on committee hearings", quota_per_parliament=4, capacity=10)
    for side in (PoliticalSide.RULING, PoliticalSide.RULING, PoliticalSide.OPPOSITION):
        services.nominate(activity.id, make_person(kind=PersonKind.MP, parliament=focal.parliament,
                                                   political_side=side), focal)
    context, page = signed_in_page(browser, live_server, focal.email, "en-GB")
    try:
        assert page.locator("main h2").first.inner_text() == "Your parliament's coming activities"
        assert "3 of 4 used" in page.locator("main").inner_text()
        assert_fits_the_phone(page)
        assert_accessible(page, "focal point's dashboard at 375 px")
    finally:
        context.close()
