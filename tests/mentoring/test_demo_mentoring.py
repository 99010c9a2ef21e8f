"""The mentoring demo: an active pair for Lamin Member with the demo trainer, a proposal waiting for its
mentee, an ended pair with both reviews, a focal point's request; seeding again adds nothing."""
from sqlalchemy import func, select

from elearn.demo import DEMO_ACCOUNTS
from elearn.extensions import db
from elearn.mentoring.models import MentoringNote, MentoringPair, MentoringReview, PairStatus
from elearn.people.models import Person
from tests.helpers import sign_in, text


def person(email):
    return db.session.scalar(select(Person).where(Person.email == email))


def test_the_demo_has_a_pair_in_each_state_and_seeds_once(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["demo", "seed", "--no-courses"])
        assert result.exit_code == 0, result.output
    pairs = {pair.status: pair for pair in db.session.scalars(select(MentoringPair))}
    assert db.session.scalar(select(func.count()).select_from(MentoringPair)) == 4
    lamin = pairs[PairStatus.ACTIVE]
    assert lamin.mentee.email == "mp@example.org" and lamin.trainer.email == "trainer@example.org"
    assert lamin.mentor.parliament.gives_assistance and lamin.programme is not None
    assert pairs[PairStatus.PROPOSED].mentor_accepted_at and not pairs[PairStatus.PROPOSED].mentee_accepted_at
    ended = pairs[PairStatus.ENDED]
    assert {r.side.value for r in db.session.scalars(select(MentoringReview).where(
        MentoringReview.pair_id == ended.id))} == {"mentor", "mentee"}
    request = pairs[PairStatus.REQUESTED]
    assert request.mentor_id is None and request.requested_by.email == "focal@example.org"
    assert db.session.scalar(select(func.count()).select_from(MentoringNote)) == 2

    password = next(row[1] for row in DEMO_ACCOUNTS if row[0] == "mp@example.org")
    client = app.test_client()
    sign_in(client, "mp@example.org", password)
    page = text(client.get(f"/mentoring/{lamin.id}"))
    assert "Prepare a hearing plan" in page and "the two ministries it will hear first" in page
    assert "Mentored by Claire Vasseur" in text(client.get("/mentoring"))
