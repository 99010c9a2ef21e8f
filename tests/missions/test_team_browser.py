"""The mission hub on a phone: nothing scrolls sideways, axe finds nothing serious, adding works by hand."""
from __future__ import annotations

import pytest

from elearn.missions import team
from elearn.missions.models import TeamRole
from elearn.scheduling import services
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser
from tests.missions.test_team_services import make_expert, make_mission
from tests.scheduling.factories import make_activity, one_session

pytestmark = pytest.mark.browser


def test_the_hub_fits_a_phone_and_passes_axe(app, people, live_server, page):
    mission = make_mission(title="Technical-assistance mission on parliamentary archives with a long title",
                           trainer_ids=(people["trainer"].id,))
    head = make_expert("Adaeze Okonkwo-Fitzgerald", email="adaeze.okonkwo-fitzgerald@parliament.example.org")
    services.register(make_activity(title="Committee workshop on budget scrutiny", sessions=one_session(21)).id, head)
    team.add_member(mission, head, TeamRole.HEAD, actor=people["trainer"])
    make_expert("Bea Roster")
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in_in_browser(page, live_server, people["trainer"].email, PASSWORD)
    page.goto(f"{live_server}/manage/missions/{mission.id}?q=bea")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page, "mission hub")
    page.get_by_role("button", name="Add Bea Roster").click()
    assert "Bea Roster is on the team as Expert" in page.locator(".flashes").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.goto(f"{live_server}/manage/missions")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page, "missions list")
