"""What a walk through the demo in a browser found: ways back, a page nobody linked to, French words."""
from __future__ import annotations

import pytest

from elearn.delegations import agenda
from elearn.extensions import db
from tests.delegations.agenda_helpers import item_input, make_visit
from tests.factories import PASSWORD
from tests.helpers import sign_in, text


def signed_in(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    return client


@pytest.fixture
def visit(app):
    visit = make_visit()
    agenda.create_item(visit.activity, item_input(visit))
    visit.trainer.preferred_language = "fr"
    db.session.commit()
    return visit


def test_the_printed_agenda_names_who_receives_and_leads_back(app, visit):
    activity_id = visit.activity.id
    page = text(signed_in(app, visit.trainer).get(f"/manage/activities/{activity_id}/agenda/print"))
    assert "Reçue par" in page and "Parlement hôte" not in page
    assert f'href="/manage/activities/{activity_id}/agenda"' in page
    awa = visit.members[0]  # French
    mine = text(signed_in(app, awa).get(f"/activities/{activity_id}/my-agenda"))
    assert "Reçue par" in mine and f'href="/activities/{activity_id}"' in mine


def test_a_confirmed_participant_finds_their_invitation_letters_from_the_activity(app, visit):
    page = text(signed_in(app, visit.members[0]).get(f"/activities/{visit.activity.id}"))
    assert 'href="/my/letters"' in page


def test_a_board_of_one_activity_leads_back_to_it_and_says_until_in_french(app, visit):
    activity_id = visit.activity.id
    page = text(signed_in(app, visit.trainer).get(f"/manage/logistics/rooming?activity={activity_id}"))
    assert f'href="/manage/activities/{activity_id}"' in page
    assert '<label for="to">Au</label>' in page
    assert "Destinataire" not in page


def test_a_letter_not_issued_yet_says_so_in_french(app, visit):
    page = text(signed_in(app, visit.trainer).get(f"/manage/activities/{visit.activity.id}/letters"))
    assert "pas encore émise" in page and "aucun" not in page
    assert "English :" in page and "Français :" in page  # French puts a space before the colon
