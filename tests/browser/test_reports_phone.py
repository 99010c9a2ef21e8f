"""The participation report at phone width: every table that scrolls sideways can be reached and read."""
from datetime import datetime, timedelta

import pytest

from elearn.database import utcnow
from elearn.scheduling.models import AttendanceStatus
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser
from tests.reports.factories import attend, make_held_activity

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_the_report_tables_scroll_in_focusable_labelled_regions(people, live_server, browser, locale):
    start = datetime.combine(utcnow().date() - timedelta(days=7), datetime.min.time()).replace(hour=9)
    held = make_held_activity([(start, start.replace(hour=16))], title="Workshop on hearings", timezone="UTC")
    attend(held, people["learner"], AttendanceStatus.PRESENT)
    context = browser.new_context(bypass_csp=True, locale=locale, viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["trainer"].email, PASSWORD)
        page.goto(f"{live_server}/reports/participation")
        assert_accessible(page, f"participation report at 375 px ({locale})")
        regions = page.locator("main .table-scroll[role=region]")
        assert regions.count() == page.locator("main table.figures").count() > 0
        # Some tables are wider than a phone: their region scrolls, is named by the caption, and a keyboard scrolls it.
        wide = page.locator("main .table-scroll").evaluate_all(
            "regions => regions.map((r, i) => r.scrollWidth > r.clientWidth ? i : -1).filter(i => i >= 0)")
        assert wide
        region = regions.nth(wide[0])
        assert region.get_attribute("tabindex") == "0"
        caption = region.locator("caption").inner_text()
        assert page.locator(f"#{region.get_attribute('aria-labelledby')}").inner_text() == caption
        region.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())  # the keys scroll it
    finally:
        context.close()
