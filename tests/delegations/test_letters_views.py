"""Invitation letters through the pages: who issues and downloads them, the participant's own letters,
the public check, and what each leaves in the audit log."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.delegations import letters
from elearn.delegations.letters_models import InvitationLetter
from elearn.extensions import db
from elearn.scheduling.models import ActivityStatus, RegistrationState
from tests.delegations.letters_factories import PASSPORT, participant, pdf_text, visit
from tests.factories import PASSWORD, make_person
from tests.helpers import post_form, sign_in, text


@pytest.fixture
def setting(app, people):
    """A visit trained by the `people` trainer, with one confirmed participant who has an account to sign in."""
    activity = visit([people["trainer"]])
    registration = participant(activity, email="aya@example.org")
    return activity, registration


def client_of(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    return client


def events(action: AuditAction) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_the_trainer_overview_links_to_the_letters_page(login_as, setting):
    activity, _ = setting
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}"))
    assert f'href="/manage/activities/{activity.id}/letters"' in page
    assert f'href="/manage/activities/{activity.id}/letters"' in text(login_as("admin").get(f"/manage/activities/{activity.id}"))
    other = visit([])  # a trainer who does not train it is not offered the link (the page would refuse them)
    assert "/letters" not in text(login_as("trainer").get(f"/manage/activities/{other.id}"))


def test_the_activitys_trainer_issues_a_letter_from_the_letters_page(login_as, setting):
    activity, registration = setting
    trainer = login_as("trainer")
    page = text(trainer.get(f"/manage/activities/{activity.id}/letters"))
    assert "Aya Kouassi" in page and "needed" in page and PASSPORT not in page
    answer = post_form(trainer, f"/manage/registrations/{registration.id}/letters", {"language": "fr"},
                       token_from=f"/manage/activities/{activity.id}/letters", follow_redirects=True)
    letter = db.session.scalar(select(InvitationLetter))
    assert letter.language == "fr" and f"with the code {letter.code}" in text(answer)
    assert f"/letters/{letter.id}.pdf" in text(answer) and "Reissue" in text(answer)
    [event] = events(AuditAction.INVITATION_LETTER_ISSUED)
    assert event.object_id == letter.id and event.actor.email == "trainer@example.org"


def test_a_refused_letter_says_why(login_as, people):
    activity = visit([people["trainer"]])
    registration = participant(activity, logistics=False)
    answer = post_form(login_as("trainer"), f"/manage/registrations/{registration.id}/letters", {"language": "en"},
                       follow_redirects=True)
    assert "State who pays the travel and who pays the stay of Aya Kouassi" in text(answer)
    assert db.session.scalar(select(func.count(InvitationLetter.id))) == 0
    participant(activity, email="kofi@example.org", full_name="Kofi Mensah", travel=None)
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}/letters"))
    assert "travel and stay not filled in" in page and "who pays travel and stay not stated" in page


def test_reissuing_from_the_page_supersedes_the_old_code(login_as, setting, client):
    activity, registration = setting
    old = letters.issue(registration, "en", None)
    answer = post_form(login_as("admin"), f"/manage/letters/{old.id}/reissue", follow_redirects=True)
    db.session.expire_all()
    new = letters.current_letter(registration, "en")
    assert new.id != old.id and f"with the code {new.code}" in text(answer)
    assert events(AuditAction.INVITATION_LETTER_REISSUED)[0].details["supersedes"] == old.id
    old_page = text(client.get(f"/letters/check/{old.code}"))
    assert "has been replaced by a newer letter" in old_page and "genuine and current" not in old_page
    assert "This letter is genuine and current." in text(client.get(f"/letters/check/{new.code}"))


def test_staff_downloads_are_audited_and_never_cached(login_as, setting):
    _, registration = setting
    letter = letters.issue(registration, "en", None)
    for role in ("trainer", "admin"):
        answer = login_as(role).get(f"/letters/{letter.id}.pdf")
        assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
        assert "no-store" in answer.headers["Cache-Control"]
        assert PASSPORT in pdf_text(answer.data)
    downloads = events(AuditAction.INVITATION_LETTER_DOWNLOADED)
    assert [event.actor.email for event in downloads] == ["trainer@example.org", "admin@example.org"]
    assert all(PASSPORT not in str(event.details) for event in downloads)


def test_the_participant_downloads_their_current_letters_only(app, setting):
    _, registration = setting
    old = letters.issue(registration, "en", None)
    current = letters.reissue(old, None)
    french = letters.issue(registration, "fr", None)
    own = client_of(app, registration.person)
    page = text(own.get("/my/letters"))
    assert f"/letters/{current.id}.pdf" in page and f"/letters/{french.id}.pdf" in page
    assert f"/letters/{old.id}.pdf" not in page
    assert own.get(f"/letters/{current.id}.pdf").status_code == 200
    assert own.get(f"/letters/{old.id}.pdf").status_code == 404
    [event] = events(AuditAction.INVITATION_LETTER_DOWNLOADED)
    assert event.actor_id == registration.person_id


def test_nobody_else_reaches_a_letter(app, login_as, people, setting):
    """IDOR: another participant of the same visit, a learner, a focal point, a trainer of another activity."""
    activity, registration = setting
    letter = letters.issue(registration, "en", None)
    neighbour = participant(activity, email="neighbour@example.org", full_name="Kofi Mensah")
    other_trainer = make_person(Role.TRAINER, email="other-trainer@example.org")
    visit([other_trainer])
    for client in (client_of(app, neighbour.person), login_as("learner"), login_as("focal_point"),
                   client_of(app, other_trainer)):
        assert client.get(f"/letters/{letter.id}.pdf").status_code == 404
        assert f"/letters/{letter.id}.pdf" not in text(client.get("/my/letters"))
    assert app.test_client().get(f"/letters/{letter.id}.pdf").status_code == 302  # to the sign-in page
    assert events(AuditAction.INVITATION_LETTER_DOWNLOADED) == []


def test_managing_letters_is_for_the_activitys_trainers_and_admins(app, login_as, people, setting):
    activity, registration = setting
    letter = letters.issue(registration, "en", None)
    other_trainer = client_of(app, make_person(Role.TRAINER, email="other-trainer@example.org"))
    for client, expected in ((login_as("learner"), 403), (login_as("focal_point"), 403), (other_trainer, 403)):
        assert client.get(f"/manage/activities/{activity.id}/letters").status_code == expected
        assert post_form(client, f"/manage/registrations/{registration.id}/letters",
                         {"language": "fr"}).status_code == expected
        assert post_form(client, f"/manage/letters/{letter.id}/reissue").status_code == expected
    assert login_as("admin").get(f"/manage/activities/{activity.id}/letters").status_code == 200
    assert db.session.scalar(select(func.count(InvitationLetter.id))) == 1


def test_a_trainer_cannot_reach_another_activitys_participants(app, login_as, people, setting):
    """IDOR: the trainer of one visit posts for a registration or a letter of a visit they do not train."""
    elsewhere = visit([make_person(Role.TRAINER, email="elsewhere@example.org")], title="Another visit")
    stranger = participant(elsewhere, email="stranger@example.org", full_name="Stranger")
    their_letter = letters.issue(stranger, "en", None)
    trainer = login_as("trainer")
    assert post_form(trainer, f"/manage/registrations/{stranger.id}/letters", {"language": "fr"}).status_code == 403
    assert post_form(trainer, f"/manage/letters/{their_letter.id}/reissue").status_code == 403
    assert trainer.get(f"/manage/activities/{elsewhere.id}/letters").status_code == 403
    assert trainer.get(f"/letters/{their_letter.id}.pdf").status_code == 404
    db.session.expire_all()
    assert db.session.get(InvitationLetter, their_letter.id).is_current
    assert db.session.scalar(select(func.count(InvitationLetter.id))) == 1


def test_issuing_without_a_token_is_refused(login_as, setting):
    _, registration = setting
    answer = login_as("trainer").post(f"/manage/registrations/{registration.id}/letters", data={"language": "en"})
    assert answer.status_code == 400 and db.session.scalar(select(func.count(InvitationLetter.id))) == 0


def test_the_public_check_shows_the_name_activity_and_dates_only(client, setting, caplog):
    _, registration = setting
    letter = letters.issue(registration, "en", None)
    caplog.set_level(logging.DEBUG)
    typed = letter.code.replace("-", "").lower()
    found = client.get(f"/letters/check?code={typed}")
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/letters/check/{letter.code}")
    page = text(client.get(f"/letters/check/{letter.code}"))
    for shown in ("This letter is genuine and current.", "Aya Kouassi", "Working visit on budget oversight",
                  "From March 3, 2027 to March 5, 2027", letter.code):
        assert shown in page, shown
    for hidden in (PASSPORT, "Côte", "Member of the finance committee", "Palais Bourbon", "Ministry",
                   "1980", "2031"):
        assert hidden not in page, hidden
    assert PASSPORT not in caplog.text


def test_an_unknown_code_is_a_404_with_the_form(client):
    answer = client.get("/letters/check/AAAA-BBBB-CCCC")
    assert answer.status_code == 404 and "No invitation letter has the code AAAA-BBBB-CCCC" in text(answer)
    assert client.get("/letters/check?code=nope").status_code == 404
    assert 'name="code"' in text(client.get("/letters/check"))


def test_the_public_check_is_rate_limited(make_app):
    app = make_app(LETTER_LOOKUP_LIMIT_PER_IP="2 per minute")
    client = app.test_client()
    assert [client.get("/letters/check/AAAA-BBBB-CCCC").status_code for _ in range(3)] == [404, 404, 429]


def test_downloads_log_no_passport_data(login_as, setting, caplog):
    _, registration = setting
    letter = letters.issue(registration, "en", None)
    caplog.set_level(logging.DEBUG)
    assert login_as("admin").get(f"/letters/{letter.id}.pdf").status_code == 200
    assert PASSPORT not in caplog.text


def test_the_public_check_speaks_french(client, setting):
    _, registration = setting
    old = letters.issue(registration, "fr", None)
    letters.reissue(old, None)
    page = text(client.get(f"/letters/check/{old.code}", headers={"Accept-Language": "fr"}))
    assert "remplacée par une lettre plus récente" in page and "Du 3 mars 2027 au 5 mars 2027" in page


@pytest.mark.parametrize("change", ["withdrawn", "activity_cancelled"])
def test_a_letter_of_someone_no_longer_coming_is_no_longer_valid(app, login_as, setting, client, change):
    """A consulate checking the code must not read "current" for a participant who withdrew, or for a
    cancelled activity; the participant no longer gets the PDF; the trainer still can (it is their record)."""
    activity, registration = setting
    letter = letters.issue(registration, "en", None)
    if change == "withdrawn":
        registration.state = RegistrationState.WITHDRAWN
    else:
        activity.status = ActivityStatus.CANCELLED
    db.session.commit()
    page = text(client.get(f"/letters/check/{letter.code}"))
    assert "no longer valid" in page and "genuine and current" not in page
    own = client_of(app, registration.person)
    assert own.get(f"/letters/{letter.id}.pdf").status_code == 404
    assert f"/letters/{letter.id}.pdf" not in text(own.get("/my/letters"))
    assert login_as("trainer").get(f"/letters/{letter.id}.pdf").status_code == 200
