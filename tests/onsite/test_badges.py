"""Name badges: one per confirmed participant, by name, each with a QR code a reader decodes to their ticket."""
from __future__ import annotations

import pytest

from elearn.onsite import tickets
from elearn.people.models import PersonKind
from elearn.scheduling import services
from tests.factories import PASSWORD, make_person
from tests.helpers import sign_in, text
from tests.onsite.conftest import confirm
from tests.onsite.qr_reading import pdf_text, read_pdf_pages

NAMES = ["Zainab Bah", "awa Jallow", "Mamadou Diallo", "Fatou Ceesay", "Ousman Sowe", "Isatou Touray",
         "Lamin Darboe", "Binta Jammeh", "Ebrima Colley"]


@pytest.fixture
def participants(seminar, gambia):
    """Nine confirmed people (not in order), one waiting for approval elsewhere, one withdrawn."""
    registrations = [confirm(seminar, full_name=name, parliament=gambia,
                             kind=PersonKind.MP if index % 2 else PersonKind.STAFF,
                             position="Clerk of the budget committee" if index == 0 else "")
                     for index, name in enumerate(NAMES)]
    services.withdraw(confirm(seminar, full_name="Aaron Withdrawn"))
    return sorted(registrations, key=lambda registration: registration.person.full_name.lower())


def codes_of(registrations) -> list[str]:
    return [tickets.ticket_of(registration).code for registration in registrations]


def test_eight_badges_to_an_a4_page_by_name_each_code_readable(app, seminar, participants, login_as):
    response = login_as("trainer").get(f"/check-in/{seminar.id}/badges.pdf")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="badges-{seminar.id}-a4x8.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    pages = read_pdf_pages(response.data)
    assert [len(page) for page in pages] == [8, 1]
    assert [code for page in pages for code in page] == codes_of(participants)
    words = " ".join(" ".join(pdf_text(response.data)).split())  # lines wrapped in a badge read as one
    assert "Aaron Withdrawn" not in words
    positions = [words.index(name) for name in sorted(NAMES, key=str.lower)]
    assert positions == sorted(positions)  # by name, whatever the case of the first letter
    assert "Budget oversight seminar" in words and "National Assembly of The Gambia" in words
    assert "Member of parliament" in words and "Parliamentary staff" in words
    assert "Clerk of the budget committee" in words


def test_a_large_activitys_badges_come_in_files_by_name_each_a_part_of_the_list(app, seminar, participants,
                                                                                  login_as):
    app.config["BADGES_PER_FILE"] = 4  # 9 participants: three files
    trainer = login_as("trainer")
    form = text(trainer.get(f"/manage/activities/{seminar.id}/tickets"))
    assert form.count('<option value="', form.index('name="part"')) == 3
    assert "Badges 5 to 8 of 9, by name" in form and "Badges 9 to 9 of 9, by name" in form

    second = trainer.get(f"/check-in/{seminar.id}/badges.pdf?part=2")
    assert second.headers["Content-Disposition"] == f'attachment; filename="badges-{seminar.id}-a4x8-part2.pdf"'
    assert read_pdf_pages(second.data) == [codes_of(participants[4:8])]
    last = trainer.get(f"/check-in/{seminar.id}/badges.pdf?part=3&layout=a6")
    assert read_pdf_pages(last.data) == [codes_of(participants[8:])]
    for wrong in ("0", "4", "x"):
        assert trainer.get(f"/check-in/{seminar.id}/badges.pdf?part={wrong}").status_code == (
            200 if wrong == "x" else 404)  # no number: the first part


def test_one_a6_badge_a_page_and_in_arabic_the_same_codes(app, seminar, participants, login_as, people):
    from elearn.extensions import db

    people["trainer"].preferred_language = "ar"  # an Arabic document: right to left, Latin names kept
    db.session.commit()

    response = login_as("trainer").get(f"/check-in/{seminar.id}/badges.pdf?layout=a6")

    assert read_pdf_pages(response.data) == [[code] for code in codes_of(participants)]
    first = pdf_text(response.data)[0]
    assert participants[0].person.full_name in first and tickets.grouped(codes_of(participants)[0]) in first


def test_only_the_activitys_trainers_and_administrators_print_badges(app, seminar, login_as, other_trainer):
    from elearn.extensions import db
    from elearn.onsite.models import CheckInHelper

    confirm(seminar)
    url = f"/check-in/{seminar.id}/badges.pdf"
    helper = make_person(email="door@example.org")
    db.session.add(CheckInHelper(activity_id=seminar.id, person_id=helper.id))
    db.session.commit()
    other, door = app.test_client(), app.test_client()
    sign_in(other, other_trainer.email, PASSWORD)
    sign_in(door, helper.email, PASSWORD)

    assert "/account/login" in app.test_client().get(url).headers["Location"]
    for client in (login_as("learner"), login_as("focal_point"), other, door):
        assert client.get(url).status_code == 403
    assert login_as("trainer").get(url + "?layout=poster").status_code == 404
    assert login_as("admin").get(url).status_code == 200


def test_no_confirmed_participant_no_pdf_but_a_word(app, seminar, login_as):
    response = login_as("trainer").get(f"/check-in/{seminar.id}/badges.pdf", follow_redirects=True)

    assert "there is no badge to print" in text(response)


def test_the_activity_page_links_the_tickets_and_the_badges_for_its_managers_only(app, seminar, login_as,
                                                                                   other_trainer):
    page = text(login_as("trainer").get(f"/manage/activities/{seminar.id}"))
    assert "Tickets and badges" in page
    assert f'action="/check-in/{seminar.id}/badges.pdf"' in page
    assert f'href="/manage/activities/{seminar.id}/tickets"' in page
    other = app.test_client()
    sign_in(other, other_trainer.email, PASSWORD)
    assert "Tickets and badges" not in text(other.get(f"/manage/activities/{seminar.id}"))
