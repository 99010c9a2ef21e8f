"""The induction course, offered to newly elected members: dashboard, catalogue order, one mail."""
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.learning.content.loading import load_courses
from elearn.learning.importing import import_path
from elearn.learning.models import Course
from elearn.notifications.reminders import send_reminders
from elearn.people.models import PersonKind
from tests.factories import PASSWORD, make_person
from tests.helpers import frozen_clock, sign_in, text
from tests.learning.factories import enrol, make_course, write_course
from tests.notifications.conftest import outbox

TODAY = date(2027, 3, 10)
NOW = datetime(2027, 3, 10, 9, 0, tzinfo=timezone.utc)
INDUCTION = "induction = true"


def member(term_started_on: date, **values):
    values.setdefault("email", f"mp-{term_started_on.isoformat()}@example.org")
    return make_person(kind=PersonKind.MP, term_started_on=term_started_on, full_name="Awa Jallow", **values)


def signed_in(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    return client


@pytest.fixture
def courses(app):
    """An ordinary course that sorts first, and the induction course after it."""
    return make_course("budget-basics", questions=0), make_course("welcome-members", questions=0, extra=INDUCTION)


def test_the_shipped_induction_course_is_marked_and_the_others_are_not(app):
    import_path(Path(__file__).resolve().parents[2] / "courses")
    marked = db.session.scalars(select(Course.slug).where(Course.induction.is_(True))).all()
    assert marked == ["induction-new-members"]


def test_the_checker_reads_the_induction_setting(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_course(tmp_path / "courses", "welcome", extra='induction = "yes"')
    write_course(tmp_path / "courses", "clerks", audience="staff", extra=INDUCTION)
    _courses, problems = load_courses(tmp_path / "courses")
    messages = sorted(str(problem) for problem in problems)
    assert messages == [
        'courses/clerks/course.toml:9: induction = true needs audience "mps" or "both": '
        "it is offered to newly elected members",
        "courses/welcome/course.toml:9: induction must be true or false (true: offered first to newly elected members)",
    ]


def test_a_newly_elected_member_is_invited_on_the_dashboard(app, courses):
    newcomer = member(date(2026, 11, 2))
    with frozen_clock(NOW):
        page = text(signed_in(app, newcomer).get("/dashboard"))
    assert "Welcome to parliament" in page
    assert 'href="/courses/welcome-members"' in page and "Sample course welcome-members" in page
    assert "Sample course budget-basics" not in page


def test_the_french_invitation_suits_a_woman_as_well_as_a_man(app, courses):
    # The demo's newly elected member is a woman: "nouvellement élu, vous êtes invité" addressed her as a man.
    newcomer = member(date(2026, 11, 2), preferred_language="fr")
    with frozen_clock(NOW):
        client = signed_in(app, newcomer)
        pages = text(client.get("/dashboard")) + text(client.get("/courses"))
        send_reminders(NOW)
    [mail] = outbox(kind="induction_invitation")
    for wording in (pages, mail.body_text):
        assert "Bienvenue au parlement" in wording and "début de mandat" in wording
        assert "élu" not in wording.replace("élus", "") and "invité" not in wording


@pytest.mark.parametrize("who", ["second term", "staff", "enrolled already"])
def test_others_get_no_invitation(app, courses, who):
    person = {
        "second term": lambda: member(date(2025, 3, 10)),  # twelve months ago to the day: no longer new
        "staff": lambda: make_person(kind=PersonKind.STAFF, term_started_on=date(2026, 11, 2)),
        "enrolled already": lambda: member(date(2026, 11, 2)),
    }[who]()
    if who == "enrolled already":
        enrol(person, courses[1])
    with frozen_clock(NOW):
        page = text(signed_in(app, person).get("/dashboard"))
    assert "Welcome to parliament" not in page
    if who == "enrolled already":  # the dashboard shows it among the courses in progress, not as an invitation
        assert "Courses in progress" in page
    else:
        assert 'href="/courses/welcome-members"' not in page


def catalogue_order(client) -> list[str]:
    page = text(client.get("/courses"))
    return sorted(("budget-basics", "welcome-members"), key=lambda slug: page.index(f'href="/courses/{slug}"'))


def test_the_catalogue_lists_the_induction_course_first_for_a_newly_elected_member(app, courses, client):
    with frozen_clock(NOW):
        newcomer = signed_in(app, member(date(2026, 11, 2)))
        veteran = signed_in(app, member(date(2019, 6, 1), email="veteran@example.org"))
        assert catalogue_order(newcomer) == ["welcome-members", "budget-basics"]
        assert "Recommended for you as a newly elected member" in text(newcomer.get("/courses"))
        assert catalogue_order(veteran) == ["budget-basics", "welcome-members"]
        assert catalogue_order(client) == ["budget-basics", "welcome-members"]
        assert "Recommended for you" not in text(veteran.get("/courses"))


def test_a_newly_elected_member_is_mailed_once(app, courses, runner):
    newcomer = member(date(2026, 11, 2), preferred_language="fr")
    member(date(2019, 6, 1), email="veteran@example.org")
    enrolled = member(date(2027, 1, 5), email="enrolled@example.org")
    enrol(enrolled, courses[1])
    with frozen_clock(NOW):
        first = runner.invoke(args=["notify", "due"])
        second = runner.invoke(args=["notify", "due"])
    assert first.exit_code == 0, first.output or repr(first.exception)
    assert first.output.strip() == "reminders queued 1, skipped 0"
    assert second.output.strip() == "reminders queued 0, skipped 0"
    [mail] = outbox(kind="induction_invitation")
    assert mail.to_address == newcomer.email
    assert "Bienvenue au parlement." in mail.body_text and "Cours d'exemple welcome-members" in mail.body_text
    assert "http://" in mail.body_text and "/courses/welcome-members" in mail.body_text
    assert "budget-basics" not in mail.body_text


def test_no_induction_course_no_mail(app):
    make_course("budget-basics", questions=0)
    member(date(2026, 11, 2))
    assert send_reminders(NOW).queued == 0
    assert outbox(kind="induction_invitation") == []


def test_the_mail_waits_until_the_term_has_started(app, courses):
    member(TODAY + timedelta(days=20))
    assert send_reminders(NOW).queued == 0
