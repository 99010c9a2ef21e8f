"""The pair's life cycle and agreement, through the services: what each step allows and what it refuses."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mentoring import pairs
from elearn.mentoring.models import MentoringPair, ObjectiveStatus, PairStatus
from tests.mentoring.conftest import active, agreement, proposed


def mails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)
                                   .order_by(OutboxMessage.id)))


def test_a_proposal_asks_both_people_and_starts_when_both_accept(world):
    pair = proposed(world)
    assert pair.status == PairStatus.PROPOSED
    assert [o.text for o in pair.objectives] == ["Read a committee report", "Draft a question"]
    assert "mentor of" in mails_to(world.mentor.email)[0].subject
    assert "a mentor is proposed to you" in mails_to(world.mentee.email)[0].subject

    pairs.accept(pair, world.mentor)
    assert pair.status == PairStatus.PROPOSED  # still waiting for the mentee
    with pytest.raises(pairs.PairError, match="not waiting for your answer"):
        pairs.accept(pair, world.mentor)
    pairs.accept(pair, world.mentee)
    assert pair.status == PairStatus.ACTIVE and pair.starts_on is not None
    assert any("starts" in m.subject for m in mails_to(world.trainer.email))


def test_either_side_may_decline_and_the_trainer_is_told(world):
    pair = proposed(world)
    pairs.decline(pair, world.mentee)
    assert pair.status == PairStatus.DECLINED
    assert "declined" in mails_to(world.trainer.email)[-1].subject
    with pytest.raises(pairs.PairError):
        pairs.accept(pair, world.mentor)


def test_nobody_else_answers_for_the_pair(world):
    pair = proposed(world)
    for outsider in (world.trainer, world.focal, world.stranger, world.admin):
        with pytest.raises(pairs.PairError):
            pairs.accept(pair, outsider)
    assert pair.status == PairStatus.PROPOSED


def test_a_mentor_comes_from_an_assisting_parliament_and_a_mentee_from_a_partner(world):
    with pytest.raises(pairs.PairError, match="assisting parliament") as refused:
        pairs.propose(mentor=world.stranger, mentee=world.mentee, trainer=world.trainer, agreement=agreement(),
                      actor=world.trainer)
    assert refused.value.field == "mentor_id"
    with pytest.raises(pairs.PairError, match="partner parliament"):
        pairs.propose(mentor=world.mentor, mentee=world.mentor, trainer=world.trainer, agreement=agreement(),
                      actor=world.trainer)
    with pytest.raises(pairs.PairError, match="Only the cooperation unit"):
        pairs.propose(mentor=world.mentor, mentee=world.mentee, trainer=world.trainer, agreement=agreement(),
                      actor=world.focal)
    assert db.session.scalar(select(func.count()).select_from(MentoringPair)) == 0
    assert mails_to(world.mentor.email) == []


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"purpose": "  "}, "purpose", "what the mentoring is for"),
    ({"objectives": ("x" * 501,)}, "objectives", "under 500"),
    ({"language": "xx"}, "language", "language"),
    ({"topic_id": 999999}, "topic_id", "topic"),
])
def test_a_bad_agreement_is_refused_whole(world, change, field, message):
    with pytest.raises(pairs.PairError, match=message) as refused:
        proposed(world, **change)
    assert refused.value.field == field
    assert db.session.scalar(select(func.count()).select_from(MentoringPair)) == 0


def test_end_before_start_is_refused(world):
    from datetime import date
    with pytest.raises(pairs.PairError, match="end date"):
        proposed(world, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))


def test_changing_a_proposal_someone_accepted_asks_both_again_and_objectives_keep_their_status(world):
    pair = proposed(world)
    pairs.accept(pair, world.mentor)
    result = pairs.save_agreement(pair, agreement(objectives=("Draft a question", "Chair a hearing")), world.trainer)
    assert result.changed and result.acceptances_cleared
    assert pair.mentor_accepted_at is None
    assert [o.text for o in pair.objectives] == ["Draft a question", "Chair a hearing"]

    pairs.accept(pair, world.mentor)
    pairs.accept(pair, world.mentee)
    kept = pair.objectives[0]
    kept.status = ObjectiveStatus.ACHIEVED
    db.session.commit()
    pairs.save_agreement(pair, agreement(objectives=("Draft a question", "Chair a hearing", "Visit")), world.trainer)
    assert pair.objectives[0].status == ObjectiveStatus.ACHIEVED and pair.status == PairStatus.ACTIVE


def test_only_the_pairs_trainer_or_an_admin_changes_withdraws_or_ends_it(world):
    pair = proposed(world)
    for outsider in (world.other_trainer, world.mentor, world.focal):
        with pytest.raises(pairs.PairError):
            pairs.save_agreement(pair, agreement(purpose="Other"), outsider)
        with pytest.raises(pairs.PairError):
            pairs.withdraw(pair, outsider)
    pairs.withdraw(pair, world.admin)
    assert pair.status == PairStatus.WITHDRAWN
    with pytest.raises(pairs.PairError, match="closed"):
        pairs.save_agreement(pair, agreement(purpose="Other"), world.trainer)


def test_ending_asks_both_for_a_review(world):
    pair = active(world)
    with pytest.raises(pairs.PairError):
        pairs.end(pair, world.other_trainer)
    with pytest.raises(pairs.PairError, match="not started"):
        pairs.withdraw(pair, world.trainer)
    pairs.end(pair, world.trainer)
    assert pair.status == PairStatus.ENDED and pair.ended_at is not None and pair.ends_on is not None
    assert "ended" in mails_to(world.mentee.email)[-1].subject


def test_a_focal_point_requests_a_mentor_for_their_own_people_only(world):
    with pytest.raises(pairs.PairError, match="your parliament"):
        pairs.request_mentor(mentee=world.mentee, agreement=agreement(), focal_point=world.other_focal)
    with pytest.raises(pairs.PairError, match="focal point"):
        pairs.request_mentor(mentee=world.mentee, agreement=agreement(), focal_point=world.trainer)
    pair = pairs.request_mentor(mentee=world.mentee, agreement=agreement(), focal_point=world.focal)
    assert pair.status == PairStatus.REQUESTED and pair.mentor_id is None and pair.trainer_id is None


def test_a_request_is_taken_up_once_then_gets_its_mentor_and_becomes_a_proposal(world):
    pair = pairs.request_mentor(mentee=world.mentee, agreement=agreement(), focal_point=world.focal)
    pairs.take_up(pair, world.trainer)
    db.session.refresh(pair)
    assert pair.trainer_id == world.trainer.id
    with pytest.raises(pairs.PairError, match="already followed"):
        pairs.take_up(pair, world.other_trainer)
    with pytest.raises(pairs.PairError, match="Choose a mentor"):
        pairs.save_agreement(pair, agreement(), world.trainer)
    result = pairs.save_agreement(pair, agreement(), world.trainer, mentor=world.mentor)
    assert result.pair.status == PairStatus.PROPOSED and pair.mentor_id == world.mentor.id
    assert mails_to(world.mentor.email), "the mentor is asked"
