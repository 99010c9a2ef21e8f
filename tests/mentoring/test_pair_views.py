"""The pages, as each person sees them: the pair page, its log's privacy, the buttons that change a pair,
and the refusals (wrong role, someone else's pair, another parliament's request)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.mentoring import pair_log, pairs
from elearn.mentoring.models import (
    MentoringMeeting,
    MentoringNote,
    MentoringPair,
    MentoringReview,
    ObjectiveStatus,
    PairStatus,
)
from tests.factories import PASSWORD
from tests.helpers import post_form, sign_in, text
from tests.mentoring.conftest import active, agreement, proposed


@pytest.fixture
def client_of(app):
    def signed_in(person):
        client = app.test_client()
        assert sign_in(client, person.email, PASSWORD).status_code == 302
        return client
    return signed_in


def test_the_pair_writes_a_private_log_that_only_it_and_its_trainer_read(world, client_of):
    pair = active(world)
    mentee = client_of(world.mentee)
    response = post_form(mentee, f"/mentoring/{pair.id}/notes", {"body": "We read the finance committee's report."},
                         follow_redirects=True)
    assert "Your note is in the pair" in text(response)
    for reader in (world.mentee, world.mentor, world.trainer):
        assert "finance committee&#39;s report" in text(client_of(reader).get(f"/mentoring/{pair.id}"))
    # An administrator who is not the pair's trainer sees the pair, never its log.
    page = text(client_of(world.admin).get(f"/mentoring/{pair.id}"))
    assert "Mentoring pair" in page and "finance committee" not in page and "The pair&#39;s log" not in page
    for outsider in (world.other_trainer, world.focal, world.other_focal, world.stranger):
        assert client_of(outsider).get(f"/mentoring/{pair.id}").status_code == 404


def test_nobody_else_writes_in_the_log(world, client_of):
    pair = active(world)
    for outsider in (world.admin, world.other_trainer, world.focal, world.stranger):
        response = post_form(client_of(outsider), f"/mentoring/{pair.id}/notes", {"body": "Intrusion"})
        assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(MentoringNote)) == 0


def test_an_empty_note_is_refused_with_a_message(world, client_of):
    pair = active(world)
    response = post_form(client_of(world.mentor), f"/mentoring/{pair.id}/notes", {"body": "   "},
                         follow_redirects=True)
    assert "Write the note first" in text(response)
    assert db.session.scalar(select(func.count()).select_from(MentoringNote)) == 0


def test_a_note_cannot_name_another_pairs_meeting(world, client_of):
    pair = active(world)
    other = pairs.propose(mentor=world.mentor, mentee=world.stranger, trainer=world.trainer, agreement=agreement(),
                          actor=world.trainer)
    now = datetime.now(timezone.utc)
    meeting = MentoringMeeting(pair_id=other.id, starts_at=now, ends_at=now + timedelta(hours=1), timezone="UTC")
    db.session.add(meeting)
    db.session.commit()
    with pytest.raises(pairs.PairError, match="pair's meetings"):
        pair_log.add_note(pair, world.mentor, "About theirs", meeting.id)


def test_accepting_and_declining_from_the_page(world, client_of):
    pair = proposed(world)
    mentor = client_of(world.mentor)
    page = text(mentor.get(f"/mentoring/{pair.id}"))
    assert "Your answer" in page and "Learn how committees scrutinise the budget." in page
    post_form(mentor, f"/mentoring/{pair.id}/accept")
    post_form(client_of(world.mentee), f"/mentoring/{pair.id}/accept")
    db.session.refresh(pair)
    assert pair.status == PairStatus.ACTIVE
    # The trainer cannot answer for a side, nor anyone outside the pair.
    second = proposed(world)
    assert post_form(client_of(world.other_trainer), f"/mentoring/{second.id}/decline").status_code == 404
    response = post_form(client_of(world.trainer), f"/mentoring/{second.id}/decline", follow_redirects=True)
    assert "not waiting for your answer" in text(response)
    db.session.refresh(second)
    assert second.status == PairStatus.PROPOSED


def test_the_pair_marks_its_objectives_and_no_one_else_does(world, client_of):
    pair = active(world)
    objective = pair.objectives[0]
    post_form(client_of(world.mentee), f"/mentoring/{pair.id}/objectives/{objective.id}", {"status": "progressing"})
    db.session.refresh(objective)
    assert objective.status == ObjectiveStatus.PROGRESSING
    response = post_form(client_of(world.trainer), f"/mentoring/{pair.id}/objectives/{objective.id}",
                         {"status": "achieved"}, follow_redirects=True)
    assert "Only the mentor and the mentee mark objectives" in text(response)
    other = proposed(world)
    post_form(client_of(world.mentee), f"/mentoring/{other.id}/objectives/{objective.id}", {"status": "achieved"})
    db.session.refresh(objective)
    assert objective.status == ObjectiveStatus.PROGRESSING  # an objective of another pair is not reached that way


def test_each_side_reviews_once_after_the_end(world, client_of):
    pair = active(world)
    mentor = client_of(world.mentor)
    response = post_form(mentor, f"/mentoring/{pair.id}/review", {"rating": "4"}, follow_redirects=True)
    assert "once it has ended" in text(response)
    pairs.end(pair, world.trainer)
    assert "How useful was the pairing?" in text(mentor.get(f"/mentoring/{pair.id}"))
    post_form(mentor, f"/mentoring/{pair.id}/review", {"rating": "4", "what_worked": "Monthly calls"})
    response = post_form(mentor, f"/mentoring/{pair.id}/review", {"rating": "2"}, follow_redirects=True)
    assert "already recorded" in text(response)
    response = post_form(client_of(world.mentee), f"/mentoring/{pair.id}/review", {"rating": "9"},
                         follow_redirects=True)
    assert "Choose a rating from 1 to 5" in text(response)
    reviews = list(db.session.scalars(select(MentoringReview)))
    assert [(r.side.value, r.rating) for r in reviews] == [("mentor", 4)]
    assert "4 out of 5" in text(client_of(world.trainer).get(f"/mentoring/{pair.id}"))


def test_a_focal_point_requests_a_mentor_and_follows_it_without_the_pair_page(world, client_of):
    focal = client_of(world.focal)
    page = text(focal.get("/mentoring/request"))
    assert world.mentee.full_name in page and world.stranger.full_name not in page
    response = post_form(focal, "/mentoring/request", {"mentee_id": str(world.mentee.id), "purpose": "Budget work",
                                                       "objectives": "Read\nWrite", "frequency": "monthly",
                                                       "language": "fr"}, follow_redirects=True)
    assert "Your request is sent" in text(response)
    pair = db.session.scalar(select(MentoringPair))
    assert pair.status == PairStatus.REQUESTED and pair.requested_by_id == world.focal.id
    assert "Requested" in text(focal.get("/mentoring"))
    assert focal.get(f"/mentoring/{pair.id}").status_code == 404
    # Another parliament's focal point sees none of it, and cannot request for someone not theirs.
    other = client_of(world.other_focal)
    assert world.mentee.full_name not in text(other.get("/mentoring"))
    response = post_form(other, "/mentoring/request", {"mentee_id": str(world.mentee.id), "purpose": "x",
                                                       "frequency": "monthly", "language": "en"})
    assert response.status_code == 200 and "Not a valid choice" in text(response)
    assert db.session.scalar(select(func.count()).select_from(MentoringPair)) == 1


def test_a_trainer_takes_up_a_request_and_chooses_the_mentor(world, client_of):
    pair = pairs.request_mentor(mentee=world.mentee, agreement=agreement(), focal_point=world.focal)
    trainer = client_of(world.other_trainer)
    assert world.mentee.full_name in text(trainer.get("/manage/mentoring?scope=requests"))
    assert "Take up this request" in text(trainer.get(f"/mentoring/{pair.id}"))
    post_form(trainer, f"/manage/mentoring/{pair.id}/take")
    # The first trainer to take it up follows it: the other one no longer sees it.
    assert client_of(world.trainer).get(f"/mentoring/{pair.id}").status_code == 404
    form = text(trainer.get(f"/manage/mentoring/{pair.id}/edit"))
    assert "Marie Mentor" in form
    response = post_form(trainer, f"/manage/mentoring/{pair.id}/edit", {
        "mentor_id": str(world.mentor.id), "purpose": "Budget work", "objectives": "Read", "frequency": "monthly",
        "language": "en"}, follow_redirects=True)
    assert "asked to accept" in text(response)
    db.session.refresh(pair)
    assert pair.status == PairStatus.PROPOSED and pair.mentor_id == world.mentor.id


def test_proposing_from_the_form_and_its_errors(world, client_of):
    trainer = client_of(world.trainer)
    response = post_form(trainer, "/manage/mentoring/new", {
        "mentor_id": str(world.mentor.id), "mentee_id": str(world.mentee.id), "trainer_id": str(world.trainer.id),
        "purpose": "", "frequency": "monthly", "language": "en"})
    assert response.status_code == 200 and "Say what the mentoring is for" in text(response)
    assert db.session.scalar(select(func.count()).select_from(MentoringPair)) == 0
    response = post_form(trainer, "/manage/mentoring/new", {
        "mentor_id": str(world.mentor.id), "mentee_id": str(world.mentee.id), "trainer_id": str(world.trainer.id),
        "purpose": "Budget", "objectives": "One\nTwo\n\nOne", "frequency": "weekly", "language": "en"},
        follow_redirects=True)
    assert "The pair is proposed" in text(response)
    pair = db.session.scalar(select(MentoringPair))
    assert [o.text for o in pair.objectives] == ["One", "Two"]


def test_staff_list_shows_a_trainer_their_pairs_and_an_admin_all(world, client_of):
    mine = proposed(world)
    theirs = pairs.propose(mentor=world.mentor, mentee=world.stranger, trainer=world.other_trainer,
                           agreement=agreement(), actor=world.other_trainer)
    page = text(client_of(world.trainer).get("/manage/mentoring"))
    assert f"/mentoring/{mine.id}\"" in page and f"/mentoring/{theirs.id}\"" not in page
    # "all" is for administrators: a trainer asking for it gets their own list.
    page = text(client_of(world.trainer).get("/manage/mentoring?scope=all"))
    assert f"/mentoring/{theirs.id}\"" not in page
    page = text(client_of(world.admin).get("/manage/mentoring?scope=all&name=stranger"))
    assert f"/mentoring/{theirs.id}\"" not in page  # the stranger's name is "Person n", not a match
    page = text(client_of(world.admin).get(f"/manage/mentoring?scope=all&status=proposed&parliament_id={world.partner.id}"))
    assert f"/mentoring/{mine.id}\"" in page and f"/mentoring/{theirs.id}\"" not in page


def test_wrong_roles_are_refused_the_staff_pages(world, client_of):
    pair = active(world)
    for person in (world.mentor, world.focal):
        client = client_of(person)
        assert client.get("/manage/mentoring").status_code == 403
        assert client.get("/manage/mentoring/new").status_code == 403
        assert post_form(client, f"/manage/mentoring/{pair.id}/end").status_code == 403
    assert client_of(world.other_trainer).get(f"/manage/mentoring/{pair.id}/edit").status_code == 403
    assert post_form(client_of(world.other_trainer), f"/manage/mentoring/{pair.id}/end").status_code == 403
    assert client_of(world.trainer).get("/mentoring/request").status_code == 403
    db.session.refresh(pair)
    assert pair.status == PairStatus.ACTIVE


def test_the_trainer_ends_the_pairing_from_the_page(world, client_of):
    pair = active(world)
    response = post_form(client_of(world.trainer), f"/manage/mentoring/{pair.id}/end", follow_redirects=True)
    assert "The pairing has ended" in text(response)
    db.session.refresh(pair)
    assert pair.status == PairStatus.ENDED


def test_the_dashboard_shows_what_waits(world, client_of):
    pair = proposed(world)
    page = text(client_of(world.mentee).get("/dashboard"))
    assert "Waits for your answer" in page and f"/mentoring/{pair.id}" in page
    page = text(client_of(world.trainer).get("/dashboard"))
    assert "You follow 1 pair under way." in page
    assert "Ask for a mentor" in text(client_of(world.focal).get("/dashboard"))
    # Someone with no pair and nothing to ask has no mentoring panel (the menu still links to the page).
    assert 'id="mentoring-dash-title"' not in text(client_of(world.stranger).get("/dashboard"))
