"""Asking, assigning, replying and closing: each one transaction, every check before the first write."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.assistance import attachments, notices, rules
from elearn.assistance.models import AssistanceMessage, AssistanceQuestion, QuestionStatus, Side, Urgency
from elearn.assistance.targets import due_time
from elearn.database import utcnow
from elearn.errors import UserError
from elearn.extensions import db
from elearn.people.models import Person
from elearn.topics import Topic

TITLE_MAX = 200
TEXT_MAX = 20_000


class AssistanceError(UserError):
    pass


@dataclass(frozen=True)
class QuestionInput:
    title: str
    body: str
    topic_id: int | None
    urgency: Urgency = Urgency.NORMAL
    files: list[attachments.FileInput] = field(default_factory=list)


def _text(value: str, name: str, limit: int, missing: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value:
        raise AssistanceError(missing, name)
    if len(value) > limit:
        raise AssistanceError(_("This is longer than %(max)d characters.", max=limit), name)
    return value


def _store(files) -> list[attachments.Stored]:
    try:
        return attachments.store(files)
    except UserError as error:
        raise AssistanceError(str(error), error.field) from None


def _commit_or_discard(stored: list[attachments.Stored]) -> None:
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        attachments.discard(stored)
        raise


def ask(person: Person, data: QuestionInput) -> AssistanceQuestion:
    if not rules.may_ask(person):
        raise AssistanceError(_("Only focal points and staff of partner parliaments can ask for remote assistance."))
    title = " ".join(_text(data.title, "title", TITLE_MAX, _("Give the question a title.")).split())
    body = _text(data.body, "body", TEXT_MAX, _("Write the question."))
    if data.topic_id is None or db.session.get(Topic, data.topic_id) is None:
        raise AssistanceError(_("Choose the topic of the question."), "topic_id")
    urgency = Urgency(data.urgency)
    stored = _store(data.files)
    now = utcnow()
    question = AssistanceQuestion(title=title, body=body, topic_id=data.topic_id, urgency=urgency,
                                  status=QuestionStatus.OPEN, asker_id=person.id, parliament_id=person.parliament_id,
                                  asked_at=now, due_at=due_time(now, urgency))
    db.session.add(question)
    db.session.add_all(attachments.rows(stored, question, None, person))
    _commit_or_discard(stored)
    return question


def may_be_expert(person: Person | None) -> bool:
    """Anyone of an assisting parliament whose account is in use."""
    return bool(person is not None and person.is_active and person.erased_at is None
                and person.parliament is not None and person.parliament.gives_assistance)


def assign(question: AssistanceQuestion, expert_id: int | None, actor: Person) -> AssistanceQuestion:
    if not rules.may_assign(actor, question):
        raise AssistanceError(_("This question can no longer be assigned."))
    expert = db.session.get(Person, expert_id) if expert_id else None
    if not may_be_expert(expert):
        raise AssistanceError(_("Choose a person of an assisting parliament."), "expert_id")
    if expert.id == question.asker_id:
        raise AssistanceError(_("The asker cannot answer their own question."), "expert_id")
    if expert.id == question.expert_id:
        return question
    question.expert_id = expert.id
    question.assigned_by_id = actor.id
    question.assigned_at = utcnow()
    if question.status == QuestionStatus.OPEN:
        question.status = QuestionStatus.ASSIGNED
    notices.tell_expert(question, expert)
    db.session.commit()
    return question


def side_of(person: Person, question: AssistanceQuestion) -> Side:
    if rules.is_expert(person, question):
        return Side.EXPERT
    if rules.is_asker(person, question):
        return Side.ASKER
    return Side.STAFF


def reply(question: AssistanceQuestion, person: Person, body: str,
          files: list[attachments.FileInput] | None = None) -> AssistanceMessage:
    # The row is locked (PostgreSQL) so that two replies at once leave the status of the later one.
    db.session.execute(select(AssistanceQuestion.id).where(AssistanceQuestion.id == question.id).with_for_update())
    db.session.refresh(question)
    if not rules.may_reply(person, question):
        raise AssistanceError(_("This question is closed: no more replies."))
    text = _text(body, "body", TEXT_MAX, _("Write your reply."))
    stored = _store(files or [])
    side = side_of(person, question)
    now = utcnow()
    message = AssistanceMessage(question=question, author_id=person.id, side=side, body=text, created_at=now)
    db.session.add(message)
    db.session.add_all(attachments.rows(stored, question, message, person))
    if side == Side.ASKER:
        # A follow-up waits for an answer again (the first answer's time stays: overdue is about the first).
        if question.status == QuestionStatus.ANSWERED:
            question.status = QuestionStatus.ASSIGNED if question.expert_id else QuestionStatus.OPEN
    else:
        question.status = QuestionStatus.ANSWERED
        question.answered_at = question.answered_at or now
    notices.tell_about_reply(question, message, person)
    _commit_or_discard(stored)
    return message


def close(question: AssistanceQuestion, person: Person) -> None:
    if not rules.may_close(person, question):
        raise AssistanceError(_("This question is already closed."))
    question.status = QuestionStatus.CLOSED
    question.closed_at = utcnow()
    db.session.commit()
