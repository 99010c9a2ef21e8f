"""Publishing an answered question to the library: anonymised, edited, checked again, once."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.assistance import anonymise, services
from elearn.extensions import db
from elearn.library.models import LibraryResource, ResourceAccess, ResourceKind
from tests.assistance.conftest import ask

BODY = ("I am Person 1 from the National Assembly of The Gambia (Gambia). Write to me at asker@parliament.gm "
        "or call +220 449 1234. Our committee met on 2026-03-02 with 12 members.")


@pytest.fixture
def answered(app, people, world):
    people["learner"].full_name = "Fatou Jallow"
    question = ask(people["learner"], world["budget"], title="Quorum for Fatou Jallow's committee", body=BODY)
    with app.test_request_context():
        services.assign(question, world["expert"].id, people["trainer"])
        services.reply(question, world["expert"], "Count members present, Ms Jallow; call me on 01 40 63 60 00.")
    return question


def test_the_draft_leaves_out_who_asked_and_keeps_the_rest(app, answered):
    with app.test_request_context():
        title, body = anonymise.draft(answered)
    for secret in ("Fatou", "Jallow", "Gambia", "National Assembly of The Gambia", "asker@parliament.gm",
                   "449 1234", "01 40 63 60 00"):
        assert secret not in title + body, secret
    assert "[name]" in title and "[parliament]" in body and "[e-mail]" in body and "[telephone]" in body
    assert "2026-03-02" in body and "12 members" in body  # dates and counts are not telephone numbers
    assert "Question" in body and "Answer" in body and "Count members present" in body


def test_publishing_adds_a_published_answer_and_marks_the_question(app, people, answered):
    with app.test_request_context():
        title, body = anonymise.draft(answered)
        resource = anonymise.publish_answer(answered, anonymise.PublishInput(
            title=title, summary="Counting the quorum", body=body, language="en", access=ResourceAccess.PUBLIC),
            people["trainer"])
    stored = db.session.scalars(select(LibraryResource)).one()
    assert stored.id == resource.id == answered.resource_id and answered.published_at is not None
    assert stored.kind == ResourceKind.ANSWER and stored.access == ResourceAccess.PUBLIC
    assert stored.topic_id == answered.topic_id and stored.added_by_id == people["trainer"].id
    assert "Jallow" not in stored.title + stored.summary + stored.body
    with app.test_request_context(), pytest.raises(services.AssistanceError, match="not yet published"):
        anonymise.publish_answer(answered, anonymise.PublishInput(title="Again", summary="", body="x",
                                                                  language="en"), people["trainer"])


def test_an_edit_that_puts_a_name_back_is_refused(app, people, answered):
    with app.test_request_context(), pytest.raises(services.AssistanceError) as refused:
        anonymise.publish_answer(answered, anonymise.PublishInput(
            title="Quorum", summary="", body="As Fatou Jallow (fatou@example.org) asked…", language="en"),
            people["trainer"])
    assert refused.value.field == "body" and "Fatou Jallow" in str(refused.value)
    assert db.session.scalars(select(LibraryResource)).all() == [] and answered.resource_id is None


def test_only_the_unit_publishes_and_only_answered_questions(app, people, world, answered):
    data = anonymise.PublishInput(title="Quorum", summary="", body="Count those present.", language="en")
    with app.test_request_context():
        with pytest.raises(services.AssistanceError):
            anonymise.publish_answer(answered, data, world["expert"])
        unanswered = ask(people["learner"], world["budget"])
        with pytest.raises(services.AssistanceError):
            anonymise.publish_answer(unanswered, data, people["trainer"])
        with pytest.raises(services.AssistanceError):
            anonymise.publish_answer(answered, anonymise.PublishInput(
                title="Quorum", summary="", body="Count.", language="en", access=ResourceAccess.PARLIAMENT),
                people["trainer"])
    assert db.session.scalars(select(LibraryResource)).all() == []
