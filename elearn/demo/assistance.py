"""Demo remote assistance: one question overdue, one answered and published to the library, one open."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.assistance.models import AssistanceMessage, AssistanceQuestion, QuestionStatus, Side, Urgency
from elearn.assistance.targets import add_working_days, target_days
from elearn.database import utcnow
from elearn.extensions import db
from elearn.library.models import ResourceAccess, ResourceKind
from elearn.library.services import publish
from elearn.missions.models import ExpertProfile, expert_topic
from elearn.people.models import Parliament, Person
from elearn.topics import Topic

OVERDUE = "Quorum rules when a committee meets during a plenary sitting"
PUBLISHED = "Correcting the official report after a member's complaint"
OPEN = "Archiving committee recordings: how long to keep them"


def _person(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == email))


def _expert_on(topic_id: int | None) -> Person | None:
    """A roster expert on the topic, else anyone of an assisting parliament."""
    statement = (select(Person).join(ExpertProfile, ExpertProfile.person_id == Person.id)
                 .join(expert_topic, expert_topic.c.profile_id == ExpertProfile.id)
                 .where(expert_topic.c.topic_id == topic_id, Person.is_active.is_(True)).order_by(Person.id))
    return db.session.scalars(statement.limit(1)).first() or db.session.scalars(
        select(Person).join(Parliament, Parliament.id == Person.parliament_id)
        .where(Parliament.gives_assistance.is_(True)).order_by(Person.id).limit(1)).first()


def _question(title, body, asker, topic, urgency, asked_days_ago, status) -> AssistanceQuestion:
    asked_at = utcnow() - timedelta(days=asked_days_ago)
    question = AssistanceQuestion(title=title, body=body, topic_id=topic.id if topic else None, urgency=urgency,
                                  status=status, asker_id=asker.id, parliament_id=asker.parliament_id,
                                  asked_at=asked_at, due_at=add_working_days(asked_at, target_days(urgency)))
    db.session.add(question)
    return question


def seed_assistance() -> None:
    """Add the three demo questions that are missing; a second run adds nothing."""
    focal, clerk = _person("focal@example.org"), _person("staff@example.org")
    trainer = _person("trainer@example.org")
    if focal is None or clerk is None or focal.parliament_id is None or clerk.parliament_id is None:
        return
    topics = {topic.slug: topic for topic in db.session.scalars(select(Topic))}
    existing = set(db.session.scalars(select(AssistanceQuestion.title).where(
        AssistanceQuestion.title.in_((OVERDUE, PUBLISHED, OPEN)))))
    if OVERDUE not in existing:
        topic = topics.get("committee-work")
        question = _question(OVERDUE, "Our rules say a committee may not meet while the plenary sits, but urgent "
                             "bills now need it. How do your rules count the quorum of a committee at such a "
                             "time, and who may authorise the meeting?", focal, topic, Urgency.URGENT, 8,
                             QuestionStatus.ASSIGNED)
        expert = _expert_on(topic.id if topic else None)
        if expert is not None:
            question.expert_id, question.assigned_by_id = expert.id, trainer.id if trainer else None
            question.assigned_at = question.asked_at + timedelta(hours=5)
        else:
            question.status = QuestionStatus.OPEN
    if PUBLISHED not in existing:
        topic = topics.get("official-record")
        question = _question(PUBLISHED, "A member says the official report misquotes her speech. Who decides on a "
                             "correction, within what time, and is the first version kept? Reply to Sonam Clerk at "
                             "staff@example.org.", clerk, topic, Urgency.NORMAL, 20, QuestionStatus.ANSWERED)
        expert = _expert_on(topic.id if topic else None)
        answer = ("The reporting service corrects only what was misheard or mistyped, never what was said; the "
                  "member asks within 24 hours of the draft, the head of the service decides, and the draft and "
                  "the correction are both kept in the archive.")
        if expert is not None:
            question.expert_id, question.assigned_by_id = expert.id, trainer.id if trainer else None
            question.assigned_at = question.asked_at + timedelta(days=1)
        question.answered_at = question.asked_at + timedelta(days=3)
        db.session.add(AssistanceMessage(question=question, author_id=expert.id if expert else None,
                                         side=Side.EXPERT if expert else Side.STAFF, body=answer,
                                         created_at=question.answered_at))
        resource = publish(title="Correcting the official report after a member's complaint",
                           summary="Who decides on a correction, the time limit, and what the archive keeps.",
                           body="Question\n\nA member says the official report misquotes her speech. Who decides "
                                "on a correction, within what time, and is the first version kept?\n\nAnswer\n\n"
                                + answer, kind=ResourceKind.ANSWER, language="en",
                           topic_id=topic.id if topic else None, access=ResourceAccess.NETWORK, added_by=trainer)
        question.resource_id, question.published_at = resource.id, question.answered_at + timedelta(days=1)
    if OPEN not in existing:
        _question(OPEN, "We are digitising the committee recordings of the last two terms. How long do you keep "
                  "audio and video recordings, and who may consult them?", focal, topics.get("archives"),
                  Urgency.LOW, 1, QuestionStatus.OPEN)
    db.session.commit()
