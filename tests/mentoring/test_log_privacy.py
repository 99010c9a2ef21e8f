"""The pair's log stays the pair's everywhere, "Your data" included: an administrator reading a mentee's data
sees that notes exist, never their words, and each side's export carries only the words it wrote."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from elearn.mentoring import pair_log, pairs
from elearn.mentoring.models import PairStatus
from tests.factories import PASSWORD
from tests.helpers import sign_in, text
from tests.mentoring.conftest import active, proposed


@pytest.fixture
def client_of(app):
    def signed_in(person):
        client = app.test_client()
        assert sign_in(client, person.email, PASSWORD).status_code == 302
        return client
    return signed_in


def test_an_administrator_reading_someones_data_never_reads_the_pairs_log(world, client_of):
    pair = active(world)
    pair_log.add_note(pair, world.mentor, "The mentor's private observation")
    pair_log.add_note(pair, world.mentee, "The mentee's own reflection")
    # Each side's data holds its own words only, whoever reads it (here an administrator who is not the trainer).
    for person, others_words in ((world.mentee, "private observation"), (world.mentor, "own reflection")):
        for path in (f"/admin/people/{person.id}/data", f"/admin/people/{person.id}/data.json"):
            response = client_of(world.admin).get(path)
            assert response.status_code == 200
            assert others_words not in text(response), path
    mentee_export = text(client_of(world.mentee).get("/account/data.json"))
    assert "own reflection" in mentee_export and "private observation" not in mentee_export


def test_a_proposal_whose_end_has_passed_can_still_be_accepted(world):
    pair = proposed(world, starts_on=None, ends_on=date.today() - timedelta(days=3))
    pairs.accept(pair, world.mentor)
    pair = pairs.accept(pair, world.mentee)
    assert pair.status == PairStatus.ACTIVE and pair.starts_on <= pair.ends_on


def test_a_trainer_who_is_no_longer_staff_no_longer_reads_the_log(world, client_of):
    from elearn.access import Role
    from elearn.extensions import db

    pair = active(world)
    pair_log.add_note(pair, world.mentee, "A note for the trainer")
    assert "A note for the trainer" in text(client_of(world.trainer).get(f"/mentoring/{pair.id}"))
    world.trainer.role = Role.LEARNER
    db.session.commit()
    assert client_of(world.trainer).get(f"/mentoring/{pair.id}").status_code == 404
