"""The public home page on a phone: readable without sideways scrolling, and accessible, in both languages."""
import pytest

from tests.accessibility import assert_accessible
from tests.factories import make_parliament
from tests.learning.factories import make_course
from tests.scheduling.factories import make_activity, one_session

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_a_visitor_reads_the_home_page_on_a_phone(app, live_server, browser, locale):
    make_activity(title="Regional seminar on budget oversight and public accounts committees",
                  sessions=one_session(days_ahead=12), venue_name="National Assembly building",
                  venue_city="Banjul", venue_country="GM", timezone="Africa/Banjul")
    make_course("committee-work", title={"en": "Committee work", "fr": "Le travail en commission"})
    make_parliament(name_en="Plurinational Legislative Assembly of Bolivia",
                    name_fr="Assemblée législative plurinationale de Bolivie")
    context = browser.new_context(bypass_csp=True, locale=locale, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(live_server + "/")
        main = page.locator("main")
        assert "Regional seminar on budget oversight" in main.inner_text()
        assert page.locator("#home-courses + p + .course-list h3").first.inner_text() in (
            "Committee work", "Le travail en commission")
        assert page.locator("#home-calendar ~ .feed-links input").first.input_value().startswith("http://")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the home page scrolls sideways by {overflow} px at 375 px ({locale})"
        assert_accessible(page, f"home page at 375 px ({locale})")
    finally:
        context.close()
