"""The ticket travels with the confirmation mail: a PNG a reader decodes to the code, and the code in words."""
from __future__ import annotations

from base64 import b64decode

from elearn.access import Role
from elearn.delegations import selection
from elearn.delegations.calls_models import ApplicationStatus
from elearn.mail.services import send_due
from elearn.onsite import tickets
from elearn.scheduling import services
from tests import factories
from tests.delegations.calls_factories import applied, candidate, open_call
from tests.notifications.conftest import last_mail, outbox
from tests.onsite.conftest import confirm
from tests.onsite.qr_reading import read_png
from tests.scheduling.factories import make_activity


def ticket_attachments(message) -> list[dict]:
    return [a for a in message.attachments if a["filename"] == "ticket.png"]


def test_the_confirmation_mail_carries_the_ticket_as_an_image_and_as_words(app, seminar, smtp_server):
    registration = confirm(seminar, email="awa@example.org", preferred_language="fr")
    code = tickets.ticket_of(registration).code

    message = last_mail("awa@example.org")
    [attachment] = ticket_attachments(message)
    assert attachment["content_type"] == "image/png"
    assert read_png(b64decode(attachment["content"])) == [code]
    assert tickets.grouped(code) in message.body_text and tickets.grouped(code) in message.body_html
    assert f"/registrations/{registration.id}/ticket" in message.body_text
    assert "Votre billet" in message.body_text  # in the participant's language

    assert send_due(sender_id="test").sent == 1
    [email] = smtp_server.received
    [png] = [part for part in email.iter_attachments() if part.get_filename() == "ticket.png"]
    assert png.get_content_type() == "image/png"
    assert read_png(png.get_content()) == [code]  # the bytes a mail client shows, read back


def test_no_ticket_for_a_waiting_place_nor_with_a_withdrawal(app):
    full = make_activity(capacity=1)
    seat = confirm(full, email="first@example.org")
    waiting = confirm(full, email="second@example.org")

    assert not ticket_attachments(last_mail("second@example.org"))
    services.withdraw(seat)
    withdrawal = outbox(to="first@example.org", kind="registration_withdrawn")[-1]
    assert not ticket_attachments(withdrawal)
    # The seat went to the waiting person: their "a seat is free" mail brings their own ticket.
    promoted = outbox(to="second@example.org", kind="registration_confirmed")[-1]
    [attachment] = ticket_attachments(promoted)
    assert read_png(b64decode(attachment["content"])) == [tickets.ticket_of(waiting).code]


def test_a_candidate_selected_through_a_call_gets_the_ticket_in_the_selection_mail(app):
    trainer = factories.make_person(Role.TRAINER)
    call = open_call(trainer=trainer)
    application = applied(call, candidate(language="fr"))
    selection.decide(application, ApplicationStatus.SELECTED, actor=trainer)
    code = tickets.ticket_of(application.registration).code

    [message] = outbox(to=application.person.email, kind="application_selected")
    [attachment] = ticket_attachments(message)
    assert read_png(b64decode(attachment["content"])) == [code]
    assert tickets.grouped(code) in message.body_text and tickets.grouped(code) in message.body_html
    assert "Votre billet" in message.body_text
    assert any(a["filename"].endswith(".ics") for a in message.attachments)  # the invitation still travels

    # Waitlisted after all: the seat and its ticket go, and that mail carries none.
    selection.decide(application, ApplicationStatus.WAITLISTED, actor=trainer)
    assert not tickets.ticket_of(application.registration).is_live
    assert not ticket_attachments(outbox(to=application.person.email, kind="application_waitlisted")[-1])
