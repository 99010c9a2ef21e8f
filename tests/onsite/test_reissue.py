"""Replacing a lost ticket: the activity's managers only; a new code, the old one dead, the person told, audited."""
from __future__ import annotations

from base64 import b64decode

from sqlalchemy import select

from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.onsite import tickets
from tests.factories import PASSWORD
from tests.helpers import post_form, sign_in, text
from tests.notifications.conftest import outbox
from tests.onsite.conftest import confirm
from tests.onsite.qr_reading import read_png


def test_the_activitys_trainer_replaces_a_ticket_and_the_old_code_dies(app, seminar, login_as, people):
    registration = confirm(seminar, full_name="Awa Jallow", email="awa@example.org")
    old_code = tickets.ticket_of(registration).code
    trainer = login_as("trainer")
    listing = text(trainer.get(f"/manage/activities/{seminar.id}/tickets"))
    assert "Awa Jallow" in listing and f"code ending {old_code[-4:]}" in listing

    response = post_form(trainer, f"/manage/registrations/{registration.id}/ticket/reissue")

    assert response.status_code == 302
    new_code = tickets.ticket_of(registration).code
    assert new_code != old_code
    assert tickets.find_ticket(old_code) is None  # refused at the door
    assert tickets.find_ticket(new_code).is_live
    page = text(trainer.get(response.headers["Location"]))
    assert f"code ending {new_code[-4:]}" in page and "the old code no longer checks in" in page
    [mail] = outbox(to="awa@example.org", kind="ticket_reissued")
    assert tickets.grouped(new_code) in mail.body_text
    [attachment] = mail.attachments
    assert read_png(b64decode(attachment["content"])) == [new_code]
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.TICKET_REISSUED))
    assert (event.actor_id, event.object_id) == (people["trainer"].id, registration.id)
    assert event.details["old_code_end"] == old_code[-4:]  # never the whole of a code


def test_only_the_activitys_managers_replace_or_list_tickets(app, seminar, login_as, other_trainer):
    registration = confirm(seminar)
    code = tickets.ticket_of(registration).code
    reissue = f"/manage/registrations/{registration.id}/ticket/reissue"
    listing = f"/manage/activities/{seminar.id}/tickets"
    other = app.test_client()
    sign_in(other, other_trainer.email, PASSWORD)

    for client, refused in ((login_as("learner"), 403), (login_as("focal_point"), 403), (other, 403)):
        assert post_form(client, reissue).status_code == refused
        assert client.get(listing).status_code == refused
    anonymous = app.test_client()
    assert "/account/login" in anonymous.get(listing).headers["Location"]
    assert "/account/login" in post_form(anonymous, reissue).headers["Location"]
    assert login_as("trainer").post(reissue).status_code == 400  # no CSRF token
    assert tickets.ticket_of(registration).code == code
    assert login_as("admin").get(listing).status_code == 200


def test_a_seat_no_longer_confirmed_gets_no_new_ticket(app, seminar, login_as):
    from elearn.scheduling import services

    registration = confirm(seminar)
    services.withdraw(registration)
    trainer = login_as("trainer")

    response = post_form(trainer, f"/manage/registrations/{registration.id}/ticket/reissue", follow_redirects=True)

    assert "Only a confirmed participant" in text(response)
    assert not tickets.ticket_of(registration).is_live
