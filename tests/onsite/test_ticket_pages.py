"""The participant's ticket: on their activity page while the seat is confirmed, printable, gone with the seat."""
from __future__ import annotations

import re

import brotli

from elearn.onsite import tickets
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, RegistrationState
from tests.factories import PASSWORD
from tests.helpers import post_form, sign_in, text
from tests.onsite.conftest import confirm
from tests.onsite.qr_reading import read_png

GROUPED = re.compile(r"<code dir=\"ltr\">([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})</code>")


def signed_in(app, registration):
    client = app.test_client()
    assert sign_in(client, registration.person.email, PASSWORD).status_code == 302
    return client


def test_a_confirmed_participant_sees_their_ticket_on_the_activity_page(app, seminar, gambia):
    registration = confirm(seminar, full_name="Awa Jallow", parliament=gambia)
    code = tickets.ticket_of(registration).code

    page = text(signed_in(app, registration).get(f"/activities/{seminar.id}"))

    assert "Your ticket" in page
    assert GROUPED.findall(page) == [tickets.grouped(code)]
    assert '<div class="ticket-qr" role="img" aria-label="QR code of your ticket"><svg' in page
    assert f'href="/registrations/{registration.id}/ticket"' in page
    assert "Show this QR code at the entrance" in page
    # What the page draws is what a reader decodes: the same code, as the PNG of the mail and the badges.
    assert read_png(tickets.qr_png(code)) == [code]


def test_the_activity_page_is_sent_uncompressed_only_when_it_shows_a_ticket(app, seminar, people):
    """BREACH: the page echoes its own address (the language form's return path), so an attacker's guesses
    would share a compressed body with the ticket's code."""
    registration = confirm(seminar)
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    address = f"/activities/{seminar.id}?guess=C8QZ"
    with_ticket = signed_in(app, registration).get(address, headers=browser)
    assert "Your ticket" in text(with_ticket) and "guess=C8QZ" in text(with_ticket)
    assert "Content-Encoding" not in with_ticket.headers
    without = app.test_client()
    assert sign_in(without, people["learner"].email, PASSWORD).status_code == 302
    answer = without.get(address, headers=browser)
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "br"
    assert "Your ticket" not in brotli.decompress(answer.data).decode()


def test_the_printable_ticket_names_the_person_the_activity_its_times_and_place(app, seminar, gambia):
    registration = confirm(seminar, full_name="Awa Jallow", parliament=gambia, timezone="Africa/Banjul")
    code = tickets.ticket_of(registration).code

    response = signed_in(app, registration).get(f"/registrations/{registration.id}/ticket")

    page = text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"  # no copy of the code kept
    for shown in ("Budget oversight seminar", "Awa Jallow", "National Assembly of The Gambia", "Room A",
                  tickets.grouped(code), "<svg"):
        assert shown in page
    # 9:00 in Paris is 7:00 or 8:00 in Banjul (UTC all year): the reader's own clock, then the activity's.
    assert f"{seminar.sessions[0].starts_at.hour}:00\u202fAM" in page
    assert "local time in Europe/Paris" in page


def test_a_withdrawn_participant_has_no_ticket_and_the_old_code_no_longer_checks_in(app, seminar):
    registration = confirm(seminar)
    old_code = tickets.ticket_of(registration).code
    client = signed_in(app, registration)

    post_form(client, f"/registrations/{registration.id}/withdraw")

    assert registration.state == RegistrationState.WITHDRAWN
    assert "Your ticket" not in text(client.get(f"/activities/{seminar.id}"))
    assert client.get(f"/registrations/{registration.id}/ticket").status_code == 404
    assert not tickets.find_ticket(old_code).is_live


def test_waiting_and_pending_people_have_no_ticket(app, people):
    from tests.scheduling.factories import make_activity

    full = make_activity(capacity=1)
    confirm(full)
    waiting = confirm(full)
    assert waiting.state == RegistrationState.WAITLISTED
    client = signed_in(app, waiting)

    assert "Your ticket" not in text(client.get(f"/activities/{full.id}"))
    assert client.get(f"/registrations/{waiting.id}/ticket").status_code == 404
    assert tickets.ticket_of(waiting) is None


def test_a_seat_confirmed_before_tickets_existed_gets_one_when_its_page_is_opened(app, seminar, people):
    from elearn.extensions import db
    from elearn.scheduling.models import Registration

    registration = Registration(activity=seminar, person=people["learner"], state=RegistrationState.CONFIRMED)
    db.session.add(registration)
    db.session.commit()  # no signal, no ticket: as the rows made before this feature
    assert tickets.ticket_of(registration) is None

    page = text(signed_in(app, registration).get(f"/activities/{seminar.id}"))

    ticket = tickets.ticket_of(registration)
    assert ticket.is_live and tickets.grouped(ticket.code) in page


def test_someone_elses_ticket_is_not_found_and_its_managers_may_print_it(app, seminar, login_as, other_trainer):
    registration = confirm(seminar)
    url = f"/registrations/{registration.id}/ticket"

    assert app.test_client().get(url).status_code == 302  # to the sign-in page
    assert login_as("learner").get(url).status_code == 404
    assert login_as("focal_point").get(url).status_code == 404
    other = app.test_client()
    sign_in(other, other_trainer.email, PASSWORD)
    assert other.get(url).status_code == 404
    for role in ("trainer", "admin"):  # the seminar's own trainer, and an administrator
        page = text(login_as(role).get(url))
        assert tickets.grouped(tickets.ticket_of(registration).code) in page
        assert "Back to the tickets of" in page


def test_a_cancelled_activity_shows_no_ticket(app, seminar):
    registration = confirm(seminar)
    services.set_status(seminar, ActivityStatus.CANCELLED)

    client = signed_in(app, registration)
    assert "Your ticket" not in text(client.get(f"/activities/{seminar.id}"))
    assert client.get(f"/registrations/{registration.id}/ticket").status_code == 404
