"""Asking, due times, assigning, the thread's statuses and mails, closing, overdue lists."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.assistance import queries, services
from elearn.assistance.models import AssistanceAttachment, AssistanceQuestion, QuestionStatus, Side, Urgency
from elearn.assistance.targets import add_working_days
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from tests.assistance.conftest import ask
from tests.helpers import frozen_clock

PDF = b"%PDF-1.7\n%%EOF\n"


def stored_files(app) -> list[Path]:
    return [path for path in Path(app.config["DOCUMENTS_FOLDER"]).rglob("*") if path.is_file()]


def mails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)))


def test_working_days_skip_the_weekend():
    friday = datetime(2026, 3, 6, 15, 30, tzinfo=UTC)
    assert add_working_days(friday, 2) == datetime(2026, 3, 10, 15, 30, tzinfo=UTC)  # Tuesday
    assert add_working_days(friday, 5) == datetime(2026, 3, 13, 15, 30, tzinfo=UTC)
    saturday = datetime(2026, 3, 7, 9, 0, tzinfo=UTC)
    assert add_working_days(saturday, 1) == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def test_the_due_time_follows_the_urgency_and_the_setting(app, people, world):
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with frozen_clock(monday):
        urgent = ask(people["learner"], world["budget"], urgency=Urgency.URGENT)
        low = ask(people["learner"], world["budget"], urgency=Urgency.LOW)
        app.config["ASSISTANCE_TARGET_DAYS"] = {"urgent": 1}
        sooner = ask(people["learner"], world["budget"], urgency=Urgency.URGENT)
    assert urgent.due_at == datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    assert low.due_at == datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
    assert sooner.due_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def test_a_question_keeps_its_asker_parliament_and_attachments(app, people, world):
    question = ask(people["learner"], world["budget"], files=[("rules.pdf", PDF)])
    assert question.status == QuestionStatus.OPEN
    assert question.parliament_id == people["learner"].parliament_id
    assert [(a.original_name, a.content_type, a.size) for a in question.attachments] == [
        ("rules.pdf", "application/pdf", len(PDF))]
    assert len(stored_files(app)) == 1


@pytest.mark.parametrize("field, changes, message", [
    ("title", {"title": "  "}, "Give the question a title."),
    ("body", {"body": ""}, "Write the question."),
    ("title", {"title": "x" * 201}, "longer than 200"),
])
def test_bad_input_is_refused_and_nothing_is_kept(app, people, world, field, changes, message):
    with pytest.raises(services.AssistanceError) as refused:
        ask(people["learner"], world["budget"], files=[("rules.pdf", PDF)], **changes)
    assert refused.value.field == field and message in str(refused.value)
    assert db.session.scalar(select(func.count(AssistanceQuestion.id))) == 0
    assert stored_files(app) == []


def test_a_file_that_is_not_what_it_says_or_too_large_stores_nothing(app, people, world):
    with pytest.raises(services.AssistanceError, match="is not accepted"):
        ask(people["learner"], world["budget"], files=[("ok.pdf", PDF), ("run.pdf", b"MZ\x90\x00 program")])
    app.config["ASSISTANCE_ATTACHMENT_MAX_BYTES"] = 10
    with pytest.raises(services.AssistanceError, match="larger than"):
        ask(people["learner"], world["budget"], files=[("big.pdf", PDF)])
    with pytest.raises(services.AssistanceError, match="at most 3"):
        ask(people["learner"], world["budget"], files=[(f"{n}.txt", b"a") for n in range(4)])
    assert stored_files(app) == [] and db.session.scalar(select(func.count(AssistanceAttachment.id))) == 0


def test_only_partner_focal_points_and_staff_may_ask(app, people, world):
    with pytest.raises(services.AssistanceError):
        ask(world["expert"], world["budget"])  # an assisting parliament's person
    with pytest.raises(services.AssistanceError):
        ask(people["trainer"], world["budget"])
    assert ask(people["focal_point"], world["budget"]).asker_id == people["focal_point"].id


def test_experts_on_the_topic_come_first(app, people, world):
    question = ask(people["learner"], world["budget"])
    choices = queries.expert_choices(question)
    assert choices.on_topic == [world["expert"]]
    assert choices.roster == [world["roster_other"]]
    assert world["plain"] in choices.others and people["learner"] not in choices.others


def test_assigning_needs_a_person_of_an_assisting_parliament_and_mails_them(app, people, world):
    question = ask(people["learner"], world["budget"])
    with pytest.raises(services.AssistanceError, match="assisting parliament"):
        services.assign(question, world["colleague"].id, people["trainer"])
    assert question.status == QuestionStatus.OPEN and question.expert_id is None
    with app.test_request_context():
        services.assign(question, world["expert"].id, people["trainer"])
    assert question.status == QuestionStatus.ASSIGNED and question.assigned_by_id == people["trainer"].id
    [mail] = mails_to("claire@example.org")
    assert "Quorum rules in committee" in mail.subject and f"/assistance/questions/{question.id}" in mail.body_text


def test_the_thread_moves_the_status_and_tells_the_other_side(app, people, world):
    question = ask(people["learner"], world["budget"])
    with app.test_request_context():
        services.assign(question, world["expert"].id, people["trainer"])
        answer = services.reply(question, world["expert"], "Half the members plus one.")
        assert answer.side == Side.EXPERT and question.status == QuestionStatus.ANSWERED
        first_answer = question.answered_at
        assert [m.subject for m in mails_to(people["learner"].email)] == [
            "Your question has an answer: Quorum rules in committee"]
        follow_up = services.reply(question, people["learner"], "And in plenary?")
        assert follow_up.side == Side.ASKER and question.status == QuestionStatus.ASSIGNED
        assert question.answered_at == first_answer
        assert len(mails_to("claire@example.org")) == 2  # assigned, then the follow-up
        services.reply(question, people["trainer"], "The rules of procedure, article 12.")
        assert question.status == QuestionStatus.ANSWERED
    services.close(question, people["learner"])
    with pytest.raises(services.AssistanceError, match="closed"):
        services.reply(question, world["expert"], "One more thing")
    assert [m.side for m in question.messages] == [Side.EXPERT, Side.ASKER, Side.STAFF]


def test_a_focal_point_reads_but_does_not_reply(app, people, world):
    question = ask(people["learner"], world["budget"])
    with pytest.raises(services.AssistanceError):
        services.reply(question, people["focal_point"], "Me too")
    assert question.messages == []


def test_overdue_questions_are_those_unanswered_past_their_due_time(app, people, world):
    with frozen_clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
        late = ask(people["learner"], world["budget"], title="Late one", urgency=Urgency.URGENT)
        answered = ask(people["learner"], world["budget"], title="Answered one", urgency=Urgency.URGENT)
        ask(people["learner"], world["budget"], title="Not yet due", urgency=Urgency.LOW)
        with app.test_request_context():
            services.assign(late, world["expert"].id, people["trainer"])
            services.reply(answered, people["trainer"], "Here it is.")
    now = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    items, total = queries.overdue(now)
    assert [q.title for q in items] == ["Late one"] and total == 1
    assert queries.overdue(now, expert_id=world["expert"].id)[1] == 1
    assert queries.overdue(now, expert_id=world["roster_other"].id)[1] == 0
    queue = list(db.session.scalars(queries.queue(queries.QueueFilters(), now)))
    assert [q.title for q in queue] == ["Late one", "Answered one", "Not yet due"]  # by due time
