"""The cooperation cycle in a real browser: request → accepted → activity → attendance → action plan → review
→ report, checked with axe at each step."""
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.affiliations import record_change
from elearn.people.models import PersonKind, PoliticalSide
from elearn.scheduling.models import ActivityStatus, Registration, RegistrationState
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD, make_person
from tests.reports.factories import make_held_activity
from tests.scheduling.factories import make_programme

pytestmark = pytest.mark.browser


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def signed_in(email):
        context = browser.new_context(bypass_csp=True, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server}/account/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/dashboard")
        return page

    yield signed_in
    for context in contexts:
        context.close()


def test_the_whole_cooperation_cycle(people, live_server, open_page):
    gambia = people["learner"].parliament
    programme = make_programme(title="West Africa 2027", women_target_percent=40)
    start = datetime.combine(utcnow().date() - timedelta(days=7), datetime.min.time()).replace(hour=9)
    workshop = make_held_activity([(start, start.replace(hour=16, minute=30))], title="Workshop on hearings",
                                  status=ActivityStatus.PUBLISHED, timezone="UTC", programme=programme)
    member = make_person(full_name="Awa Jallow", kind=PersonKind.MP, parliament=gambia)
    record_change(member, PoliticalSide.RULING, utcnow().date() - timedelta(days=400), actor=None)
    for person in (people["learner"], member):
        db.session.add(Registration(activity_id=workshop.id, person_id=person.id, state=RegistrationState.CONFIRMED))
    db.session.commit()

    # A focal point asks for help.
    focal = open_page(people["focal_point"].email)
    assert_accessible(focal, "focal point's dashboard")
    focal.get_by_role("link", name="Requests", exact=True).click()
    assert_accessible(focal, "requests of the parliament")
    focal.get_by_role("link", name="Make a request").click()
    assert_accessible(focal, "request form")
    focal.get_by_label("Kind of support").select_option("training")
    focal.get_by_label("Subject in a few words").fill("Committee hearings")
    focal.get_by_label("The need, in your own words").fill("Our committees need rules for hearings.")
    focal.get_by_role("button", name="Send the request").click()
    expect(focal.get_by_text("The request is sent.")).to_be_visible()
    assert_accessible(focal, "the request as sent")
    request_url = focal.url

    # A trainer assesses it, then accepts it under a programme with the workshop that answers it.
    trainer = open_page(people["trainer"].email)
    assert_accessible(trainer, "trainer's dashboard")
    trainer.goto(request_url)
    trainer.locator("#status").select_option("under_assessment")
    trainer.get_by_role("button", name="Change the status").click()
    expect(trainer.get_by_text("The request is now under assessment")).to_be_visible()
    trainer.locator("#status").select_option("accepted")
    trainer.locator("#programme_id").select_option(label="West Africa 2027")
    trainer.locator("#activity_ids").select_option(str(workshop.id))
    trainer.locator("#answer").fill("A workshop in Banjul answers it.")
    trainer.get_by_role("button", name="Change the status").click()
    # The programme does not list The Gambia among its partners: the trainer confirms.
    expect(trainer.get_by_role("alert").get_by_text("is not a partner of the programme")).to_be_visible()
    assert_accessible(trainer, "warning before accepting outside the programme's partners")
    trainer.get_by_role("button", name="Accept anyway").click()
    expect(trainer.get_by_text("The request is now accepted")).to_be_visible()
    assert_accessible(trainer, "accepted request, as a trainer")
    focal.reload()
    expect(focal.get_by_text("A workshop in Banjul answers it.")).to_be_visible()

    # The activity, its attendance.
    trainer.get_by_role("link", name="Workshop on hearings").click()
    trainer.get_by_role("link", name="Attendance").first.click()
    assert_accessible(trainer, "attendance sheet")
    trainer.get_by_label(f"Present: {people['learner'].full_name}").check()
    trainer.get_by_label("Present: Awa Jallow").check()
    trainer.get_by_role("button", name="Save attendance").click()
    expect(trainer.get_by_text("Attendance is saved.")).to_be_visible()

    # The action plan agreed after it.
    trainer.get_by_role("link", name="Back to the activity").click()
    trainer.get_by_role("link", name="Action plans after this activity").click()
    assert_accessible(trainer, "action plan form")
    trainer.locator("#commitments-0-description").fill("Adopt written rules for hearings")
    trainer.locator("#commitments-0-due_on").fill((utcnow().date() + timedelta(days=60)).isoformat())
    trainer.locator("#commitments-1-description").fill("Send model hearing guidelines")
    trainer.locator("#commitments-1-owner").select_option("assisting")
    trainer.locator("#commitments-1-due_on").fill((utcnow().date() - timedelta(days=1)).isoformat())
    trainer.get_by_role("button", name="Save the action plan").click()
    expect(trainer.get_by_text("The action plan is saved")).to_be_visible()
    assert_accessible(trainer, "action plan")

    # The partner reports progress; the trainer writes the first review.
    focal.get_by_role("link", name="Follow-up").click()
    assert_accessible(focal, "follow-up, as the focal point")
    focal.get_by_role("link", name="Workshop on hearings").first.click()
    form = focal.get_by_role("form", name="Progress on: Adopt written rules for hearings")
    form.get_by_label("Status").select_option("in_progress")
    form.get_by_label("Progress note").fill("Draft rules tabled.")
    form.get_by_role("button", name="Save progress").click()
    expect(focal.get_by_text("The progress is saved.")).to_be_visible()
    assert_accessible(focal, "action plan, as the focal point")

    trainer.reload()
    expect(trainer.get_by_text("Draft rules tabled.").first).to_be_visible()
    trainer.get_by_role("link", name="Write the review").first.click()
    assert_accessible(trainer, "review form")
    trainer.get_by_label("Progress notes").fill("Rules drafted; guidelines still to send.")
    trainer.get_by_role("button", name="Save the review").click()
    expect(trainer.get_by_text("The review is saved.")).to_be_visible()

    trainer.get_by_role("link", name="Dashboard").click()
    expect(trainer.get_by_text("Send model hearing guidelines").first).to_be_visible()  # overdue
    assert_accessible(trainer, "dashboard with follow-up")

    # The report counts the two participations.
    trainer.get_by_role("link", name="Reports").click()
    summary = trainer.locator("#table-summary")
    assert summary.get_by_role("row", name="Participations").inner_text().split() == ["Participations", "2"]
    # Parliament, kind and women's share; no side chart: sides are published only for whole past quarters
    # of 10 members or more (reports/protection.py), and this journey has two participations.
    expect(trainer.locator("svg.chart")).to_have_count(3)
    assert_accessible(trainer, "participation report")
    trainer.goto(f"{live_server}/cooperation/parliaments/{gambia.id}")
    assert_accessible(trainer, "parliament page")


def test_the_audit_and_side_history_pages_are_accessible(people, live_server, open_page):
    member = make_person(full_name="Awa Jallow", kind=PersonKind.MP, parliament=people["learner"].parliament)
    record_change(member, PoliticalSide.RULING, utcnow().date() - timedelta(days=40), actor=people["admin"])
    admin = open_page(people["admin"].email)
    admin.goto(f"{live_server}/admin/people/{member.id}")
    expect(admin.get_by_text("Political side over time")).to_be_visible()
    assert_accessible(admin, "person page with side history")
    admin.get_by_role("link", name="Audit log", exact=True).click()
    expect(admin.get_by_role("cell", name="Political side read").first).to_be_visible()
    assert_accessible(admin, "audit log")
