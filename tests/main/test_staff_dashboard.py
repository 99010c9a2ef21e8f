"""The trainer's and the administrator's dashboard: what each is asked to do next, and what they are not shown."""
import html
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.cooperation.models import NeedsRequest, RequestStatus, SupportKind
from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.people.models import Person, PersonKind
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    AttendanceStatus,
    Modality,
    Registration,
    RegistrationState,
    activity_trainer,
)
from tests import factories
from tests.cooperation.factories import make_request
from tests.helpers import count_queries, post_form
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_activity, one_session

STAFF_HEADINGS = ("Your activities in the coming weeks", "Activities in the coming weeks",
                  "Sessions awaiting attendance", "Requests to triage")
ADMIN_HEADINGS = ("Mail that could not be sent", "Recent sensitive events", "Open the audit log", "Administration")


def text(response) -> str:
    """The page's words, as a reader meets them: no tags, single spaces."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(words))


def _register(activity, state, count, parliament=None):
    for n in range(count):
        person = factories.make_person(parliament=parliament)
        position = n + 1 if state == RegistrationState.WAITLISTED else None
        db.session.add(Registration(activity_id=activity.id, person_id=person.id, state=state,
                                    waitlist_position=position))
    db.session.commit()


@pytest.fixture
def trainers_week(people):
    """The trainer runs a workshop next week (2 seats taken, 1 waiting, 1 awaiting approval) and held one
    two days ago whose attendance nobody took; another trainer runs a seminar; a request waits for triage."""
    trainer = people["trainer"]
    colleague = factories.make_person(Role.TRAINER, full_name="Colette Colleague")
    workshop = make_activity(title="Workshop on budget hearings", sessions=one_session(days_ahead=7), capacity=2,
                             trainer_ids=(trainer.id,), approval_required=True)
    _register(workshop, RegistrationState.CONFIRMED, 2)
    _register(workshop, RegistrationState.WAITLISTED, 1)
    _register(workshop, RegistrationState.REQUESTED, 1)
    make_activity(title="Seminar run by a colleague", sessions=one_session(days_ahead=8), trainer_ids=(colleague.id,))
    make_activity(title="Seminar far ahead", sessions=one_session(days_ahead=120), trainer_ids=(trainer.id,))
    start = datetime.combine(utcnow().date() - timedelta(days=2), datetime.min.time()).replace(hour=9)
    unmarked = make_held_activity([(start, start.replace(hour=16))], title="Clinic on committee reports",
                                  status=ActivityStatus.PUBLISHED, timezone="UTC", trainers=[trainer])
    attend(unmarked, people["learner"])
    marked = make_held_activity([(start, start.replace(hour=16))], title="Clinic already marked",
                                status=ActivityStatus.PUBLISHED, timezone="UTC", trainers=[trainer])
    attend(marked, people["learner"], AttendanceStatus.PRESENT)
    make_request(people["focal_point"], title="Help with the plenary record")
    return workshop, unmarked


def test_the_trainer_sees_their_coming_activity_seats_the_session_to_mark_and_the_request_to_triage(
        login_as, trainers_week):
    workshop, unmarked = trainers_week
    board = text(login_as("trainer").get("/dashboard"))
    assert "Your activities in the coming weeks" in board
    assert "Workshop on budget hearings" in board
    assert "2 of 2 seats taken · 1 on the waiting list · 1 awaiting approval" in board
    assert "1 registration awaits your approval" in board
    assert "Take attendance: Clinic on committee reports" in board
    assert "Requests to triage" in board and "Help with the plenary record" in board
    # Not theirs, too far ahead, or already marked.
    for absent in ("Seminar run by a colleague", "Seminar far ahead", "Clinic already marked"):
        assert absent not in board
    for heading in ADMIN_HEADINGS:
        assert heading not in board


def test_the_dashboard_links_to_the_attendance_sheet_and_the_activity(login_as, trainers_week):
    workshop, unmarked = trainers_week
    page = login_as("trainer").get("/dashboard").get_data(as_text=True)
    assert f'href="/manage/sessions/{unmarked.sessions[0].id}/attendance"' in page
    assert f'href="/manage/activities/{workshop.id}"' in page


def test_the_administrator_sees_every_activity_outbox_failures_and_recent_sensitive_events(
        login_as, people, trainers_week):
    db.session.add(OutboxMessage(kind="test", to_address="gone@example.org", subject="Your place is confirmed",
                                 body_text="…", status=OutboxStatus.FAILED, attempts=8,
                                 last_error="550 mailbox unavailable"))
    db.session.add(OutboxMessage(kind="test", to_address="fine@example.org", subject="Delivered fine",
                                 body_text="…", status=OutboxStatus.SENT))
    db.session.add(AuditEvent(action=AuditAction.ROLE_CHANGED, actor_id=people["admin"].id, object_type="person",
                              object_id=people["learner"].id, details={"from": "learner", "to": "trainer"}))
    db.session.add(AuditEvent(action=AuditAction.LOGIN_FAILED, object_type="person", object_id=None,
                              details={"email": "intruder@example.net"}))
    db.session.add(AuditEvent(action=AuditAction.POLITICAL_SIDE_READ, object_type="person",
                              object_id=people["learner"].id, actor_id=people["focal_point"].id))
    db.session.commit()
    board = text(login_as("admin").get("/dashboard"))
    assert "Activities in the coming weeks" in board
    assert "Workshop on budget hearings" in board and "Seminar run by a colleague" in board
    assert "Take attendance: Clinic on committee reports" in board
    assert "Mail that could not be sent" in board
    assert "Your place is confirmed to gone@example.org" in board and "550 mailbox unavailable" in board
    assert "Delivered fine" not in board
    assert "See the 1 failed message in the outbox" in board
    assert "Role changed" in board and people["admin"].full_name in board
    assert "Failed sign-in intruder@example.net" in board
    assert "Political side read" not in board  # routine reads stay in the audit log
    for heading in ADMIN_HEADINGS:
        assert heading in board


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_learners_and_focal_points_have_none_of_the_staff_panels(login_as, trainers_week, role):
    board = text(login_as(role).get("/dashboard"))
    for heading in STAFF_HEADINGS + ADMIN_HEADINGS + ("Take attendance", "Mail outbox"):
        assert heading not in board


def test_a_trainer_with_nothing_to_do_is_told_so(login_as):
    board = text(login_as("trainer").get("/dashboard"))
    assert "No activity of yours is published for the coming six weeks." in board
    assert "Attendance is recorded for every session held so far." in board
    assert "No request is waiting for an answer." in board
    assert "Schedule an activity" in board


def test_the_staff_panels_are_in_french(login_as, trainers_week):
    client = login_as("trainer")
    post_form(client, "/language", {"language": "fr"}, token_from="/dashboard")
    board = text(client.get("/dashboard"))
    assert "Vos activités des prochaines semaines" in board
    assert "2 places occupées sur 2 · 1 en liste d'attente · 1 en attente d'approbation" in board
    assert "Séances dont la présence reste à saisir" in board
    assert "Saisir la présence : Clinic on committee reports" in board
    assert "Demandes à examiner" in board


def _fill(first: int, rows: int, people) -> None:
    """`rows` more of everything the staff dashboard lists (numbered from `first`), inserted in bulk."""
    now = utcnow()
    numbers = range(first, first + rows)
    learners = [Person(email=f"bulk{n}@example.org", full_name=f"Bulk {n}", kind=PersonKind.STAFF,
                       role=Role.LEARNER, timezone="UTC") for n in numbers]
    db.session.add_all(learners)
    db.session.flush()
    activities = []
    for n, learner in zip(numbers, learners, strict=True):
        for title, starts in ((f"Coming {n}", now + timedelta(days=1 + n % 30)),
                              (f"Held {n}", now - timedelta(days=1 + n % 30))):
            activity = Activity(title=title, modality=Modality.SEMINAR, timezone="UTC", capacity=20,
                                status=ActivityStatus.PUBLISHED, languages=["en"], starts_at=starts,
                                ends_at=starts + timedelta(hours=3))
            activity.sessions.append(ActivitySession(starts_at=starts, ends_at=starts + timedelta(hours=3)))
            activity.registrations.append(Registration(person_id=learner.id, state=RegistrationState.CONFIRMED))
            activities.append(activity)
    db.session.add_all(activities)
    db.session.flush()
    db.session.execute(insert(activity_trainer), [{"activity_id": a.id, "person_id": people["trainer"].id}
                                                   for a in activities])
    db.session.execute(insert(NeedsRequest), [
        {"parliament_id": people["focal_point"].parliament_id, "kind": SupportKind.TRAINING,
         "status": RequestStatus.RECEIVED, "title": f"Request {n}", "need": "Help.", "created_at": now}
        for n in numbers])
    db.session.execute(insert(OutboxMessage), [
        {"kind": "test", "to_address": f"r{n}@example.org", "subject": f"Subject {n}", "body_text": "…",
         "status": OutboxStatus.FAILED, "attempts": 8, "last_error": "550"} for n in numbers])
    db.session.execute(insert(AuditEvent), [
        {"action": AuditAction.LOGIN_FAILED, "object_type": "person", "details": {"email": f"x{n}@example.org"},
         "occurred_at": now} for n in numbers])
    db.session.commit()


def _dashboard_queries(client) -> int:
    with count_queries() as counter:
        response = client.get("/dashboard")
    assert response.status_code == 200
    return counter.count


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_the_staff_dashboard_runs_as_many_queries_at_ten_rows_as_at_a_thousand(app, people, login_as, role):
    client = login_as(role)
    _fill(0, 10, people)
    at_ten = _dashboard_queries(client)
    board = text(client.get("/dashboard"))
    assert "Take attendance: Held 0" in board and "Coming 0" in board
    _fill(10, 990, people)
    at_a_thousand = _dashboard_queries(client)
    assert at_ten == at_a_thousand, f"{at_ten} queries at 10 rows, {at_a_thousand} at 1,000"
    board = text(client.get("/dashboard"))
    assert board.count("Take attendance:") == 5


def test_the_demo_trainer_has_sessions_awaiting_attendance_and_a_second_seed_adds_none(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["demo", "seed", "--no-courses"])
        assert result.exit_code == 0, result.output
    assert db.session.query(Activity).filter_by(title="Follow-up workshop on committee reports").count() == 1
    client = app.test_client()
    post_form(client, "/account/login", {"email": "trainer@example.org", "password": "demo-lectern-2026"})
    board = text(client.get("/dashboard"))  # the demo trainer reads French
    assert board.count("Saisir la présence : Follow-up workshop on committee reports") == 2
    assert "6 participants" in board
