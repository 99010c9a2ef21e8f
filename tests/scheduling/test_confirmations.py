"""Destructive actions are asked once more on a page of their own: withdraw, remove, cancel."""
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.scheduling import services
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.models import Activity, ActivityStatus, AttendanceStatus, Registration, RegistrationState
from tests.factories import make_person
from tests.helpers import count_queries, post_form, text
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_activity


def forms_posting_to(page: str, path: str) -> list[str]:
    return re.findall(rf'<form method="post" action="{re.escape(path)}"', page)


def mails() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_withdrawing_asks_first_and_explains_the_seat_is_lost(people, login_as):
    activity = make_activity(title="Workshop on minutes")
    registration = services.register(activity.id, people["learner"]).registration
    client = login_as("learner")
    path = f"/registrations/{registration.id}/withdraw"
    for page in (text(client.get(f"/activities/{activity.id}")), text(client.get("/my/schedule"))):
        assert not forms_posting_to(page, path)  # no one-click withdrawal left
        assert f'href="{path}' in page
    before = mails()
    question = text(client.get(path + "?back=schedule"))
    assert "Withdraw from “Workshop on minutes”?" in question
    assert "Your seat goes to the next person on the waiting list" in question
    assert forms_posting_to(question, path) and 'name="csrf_token"' in question
    assert 'href="/my/schedule">No, go back</a>' in question
    assert db.session.get(Registration, registration.id).state == RegistrationState.CONFIRMED and mails() == before
    response = post_form(client, path, {"back": "schedule"}, token_from=path, follow_redirects=True)
    assert "You have withdrawn" in text(response) and "My schedule" in text(response)
    assert db.session.get(Registration, registration.id).state == RegistrationState.WITHDRAWN


def test_leaving_the_waiting_list_is_not_told_a_seat_was_freed(people, login_as):
    activity = make_activity(title="Small seminar", capacity=1)
    services.register(activity.id, make_person())
    waiting = services.register(activity.id, people["learner"]).registration
    assert waiting.state == RegistrationState.WAITLISTED
    client = login_as("learner")
    path = f"/registrations/{waiting.id}/withdraw"
    page = text(post_form(client, path, {"back": "schedule"}, token_from=path, follow_redirects=True))
    assert "You have left the waiting list." in page
    assert "seat is free" not in page


def test_removing_a_participant_asks_first_with_an_optional_message(people, login_as):
    activity = make_activity(title="Study visit", capacity=1)
    seated = services.register(activity.id, make_person(full_name="Awa Jallow")).registration
    waiting = services.register(activity.id, make_person(full_name="Lamin Ceesay")).registration
    trainer = login_as("trainer")
    overview = text(trainer.get(f"/manage/activities/{activity.id}"))
    path = f"/manage/registrations/{seated.id}/remove"
    assert f'href="{path}"' in overview and not forms_posting_to(overview, f"/manage/registrations/{seated.id}/decide")
    question = text(trainer.get(path))
    assert "Remove Awa Jallow from “Study visit”?" in question
    assert "Awa Jallow loses their seat; the next person on the waiting list gets it." in question
    assert 'name="message"' in question and forms_posting_to(question, path)
    assert db.session.get(Registration, seated.id).state == RegistrationState.CONFIRMED
    response = post_form(trainer, path, {"message": "Duplicate booking"}, token_from=path, follow_redirects=True)
    assert "Awa Jallow is removed and told by email." in text(response)
    db.session.expire_all()
    assert db.session.get(Registration, seated.id).state == RegistrationState.REMOVED
    assert db.session.get(Registration, waiting.id).state == RegistrationState.CONFIRMED


def test_only_trainers_may_ask_or_remove(people, login_as):
    activity = make_activity()
    registration = services.register(activity.id, people["learner"]).registration
    path = f"/manage/registrations/{registration.id}/remove"
    for role in ("learner", "focal_point"):
        client = login_as(role)
        assert client.get(path).status_code == 403
        assert post_form(client, path, {"message": "tampered"}).status_code == 403
    assert db.session.get(Registration, registration.id).state == RegistrationState.CONFIRMED


def test_cancelling_an_activity_asks_first_and_says_who_is_told(people, login_as):
    activity = make_activity(title="Budget seminar", capacity=1)
    services.register(activity.id, make_person())
    services.register(activity.id, make_person())
    trainer = login_as("trainer")
    path = f"/manage/activities/{activity.id}/cancel"
    overview = text(trainer.get(f"/manage/activities/{activity.id}"))
    assert f'href="{path}"' in overview and 'value="cancelled"' not in overview
    question = text(trainer.get(path))
    assert "Cancel “Budget seminar”?" in question
    assert "1 confirmed participant is told by email" in question
    assert "1 person waiting or awaiting approval is told by email too." in question
    assert forms_posting_to(question, path)
    # The one-click way round the question is closed.
    status_path = f"/manage/activities/{activity.id}/status"
    assert post_form(trainer, status_path, {"status": "cancelled"}).status_code == 400
    assert db.session.get(Activity, activity.id).status == ActivityStatus.PUBLISHED
    response = post_form(trainer, path, token_from=path, follow_redirects=True)
    assert "The activity is now cancelled." in text(response)
    assert db.session.get(Activity, activity.id).status == ActivityStatus.CANCELLED


def test_the_cancel_question_counts_in_sql_whatever_the_number_of_registrations(people, login_as):
    activity = make_activity(title="Big seminar", capacity=3)
    services.register(activity.id, make_person())
    trainer = login_as("trainer")
    path = f"/manage/activities/{activity.id}/cancel"
    trainer.get(path)
    with count_queries() as few:
        assert "1 confirmed participant is told" in text(trainer.get(path))
    for _n in range(6):
        services.register(activity.id, make_person())
    with count_queries() as many:
        page = text(trainer.get(path))
    assert "3 confirmed participants are told" in page and "4 people waiting or awaiting approval" in page
    assert many.count == few.count
    # The registrations are counted by the database, never loaded one by one into the page.
    assert not any("registration.person_id" in statement for statement in many.statements), many.statements


def test_only_trainers_may_cancel(people, login_as):
    activity = make_activity()
    path = f"/manage/activities/{activity.id}/cancel"
    for role in ("learner", "focal_point"):
        client = login_as(role)
        assert client.get(path).status_code == 403
        assert post_form(client, path).status_code == 403
    assert db.session.get(Activity, activity.id).status == ActivityStatus.PUBLISHED


def test_someone_elses_withdrawal_question_is_not_found(people, login_as):
    activity = make_activity(title="Private matter")
    other = services.register(activity.id, make_person()).registration
    client = login_as("learner")
    response = client.get(f"/registrations/{other.id}/withdraw")
    assert response.status_code == 404 and "Private matter" not in text(response)
    assert login_as("trainer").get(f"/registrations/{other.id}/withdraw").status_code == 404


def test_a_participant_of_an_activity_that_is_over_is_not_removed(people, login_as):
    start = datetime.combine(utcnow().date() - timedelta(days=30), datetime.min.time()).replace(hour=9)
    held = make_held_activity([(start, start.replace(hour=16))], title="Past workshop", timezone="UTC",
                              status=ActivityStatus.PUBLISHED)  # over by the clock, not yet marked completed
    registration = attend(held, make_person(full_name="Awa Jallow"), AttendanceStatus.PRESENT)
    client = login_as("trainer")
    roster = text(client.get(f"/manage/activities/{held.id}"))
    assert "Awa Jallow" in roster and f"/manage/registrations/{registration.id}/remove" not in roster
    before = mails()
    page = text(client.get(f"/manage/registrations/{registration.id}/remove", follow_redirects=True))
    assert "This activity is over: record an absence in the attendance instead of removing a participant." in page
    response = post_form(client, f"/manage/registrations/{registration.id}/remove", {"message": ""},
                         token_from=f"/manage/activities/{held.id}", follow_redirects=True)
    assert "This activity is over" in text(response)
    with pytest.raises(SchedulingError, match="This activity is over"):
        services.remove(registration)
    assert db.session.get(Registration, registration.id).state == RegistrationState.CONFIRMED and mails() == before
