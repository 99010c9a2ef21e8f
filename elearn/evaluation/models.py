"""Questionnaires, their questions, and the responses participants give after an activity.

Anonymous by default: a `Response` then holds no person and no time finer than the day, and its
key is random, so it cannot be matched with the `ResponseReceipt` that says who has answered
(which the system needs to refuse a second response and to remind only those who have not).
"""
from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.learning.models import localised
from elearn.people.models import Gender, PersonKind, PoliticalSide
from elearn.scheduling.models import Activity, ActivitySession


class QuestionKind(LabelledEnum):
    RATING = "rating", _l("Rating on a scale")
    SINGLE = "single", _l("One choice")
    MULTIPLE = "multiple", _l("Several choices")
    TEXT = "text", _l("Free text")
    SESSION_RATING = "session_rating", _l("Rating of each session")


class Questionnaire(db.Model):
    """A reusable questionnaire (a template), in every language it has text for."""

    __tablename__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[dict] = mapped_column(JSON, default=dict)  # {language: text}
    intro: Mapped[dict] = mapped_column(JSON, default=dict)  # {language: text}
    # Anonymous unless the template says otherwise: the response then keeps no person.
    anonymous: Mapped[bool] = mapped_column(default=True)
    # Modalities (values) this questionnaire is attached to by default when an activity has none.
    default_for_modalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    questions: Mapped[list["Question"]] = relationship(
        back_populates="questionnaire", order_by="Question.position", cascade="all, delete-orphan")

    def title_in(self, locale: str) -> str:
        return localised(self.title, locale, ("en",))


class Question(db.Model):
    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "position", name="uq_question_position"),
        CheckConstraint("scale_points IS NULL OR (scale_points >= 2 AND scale_points <= 11)",
                        name="scale_points_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(string_enum(QuestionKind, "question_kind"))
    prompt: Mapped[dict] = mapped_column(JSON, default=dict)  # {language: text}
    # Ratings: the number of points (1..n) and a label for each point, per language: {language: [labels]}.
    scale_points: Mapped[Optional[int]]
    scale_labels: Mapped[dict] = mapped_column(JSON, default=dict)
    # Choices: [{"key": "...", "label": {language: text}}, ...]
    options: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=True)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")

    def prompt_in(self, locale: str) -> str:
        return localised(self.prompt, locale, ("en",))


class ActivityQuestionnaire(db.Model):
    """A questionnaire attached to one activity: when it opens and closes, and what was mailed."""

    __tablename__ = "activity_questionnaire"
    __table_args__ = (CheckConstraint("closes_at > opens_at", name="closes_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), unique=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    # Opens when the last session ends; closes some days later (the services set both from the activity).
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    invitations_sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    reminders_sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    questionnaire: Mapped[Questionnaire] = relationship()


def _response_key() -> str:
    return secrets.token_hex(16)


class Response(db.Model):
    """One participant's answers. The key is random and the date has no time, so that an anonymous
    response cannot be matched with its receipt by order or by instant."""

    __tablename__ = "response"
    __table_args__ = (Index("ix_response_activity_questionnaire", "activity_questionnaire_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_response_key)
    activity_questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("activity_questionnaire.id", ondelete="CASCADE"))
    # Only when the questionnaire is named (Questionnaire.anonymous is False).
    person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"), index=True)
    submitted_on: Mapped[date]
    # Who answered, as the breakdowns need it (shown only in cells the small-cell rule lets through):
    # the respondent's parliament, kind, gender and side on the activity's date.
    parliament_id: Mapped[Optional[int]] = mapped_column(ForeignKey("parliament.id"))
    kind: Mapped[Optional[PersonKind]] = mapped_column(string_enum(PersonKind, "person_kind"))
    gender: Mapped[Optional[Gender]] = mapped_column(string_enum(Gender, "gender"))
    political_side: Mapped[Optional[PoliticalSide]] = mapped_column(string_enum(PoliticalSide, "political_side"))

    activity_questionnaire: Mapped[ActivityQuestionnaire] = relationship()
    answers: Mapped[list["Answer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", "session_id", name="uq_answer_once"),
        Index("ix_answer_question", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    # A per-session rating names the session rated.
    session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("activity_session.id", ondelete="CASCADE"))
    rating: Mapped[Optional[int]]
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    session: Mapped[Optional[ActivitySession]] = relationship()


class ResponseReceipt(db.Model):
    """That a person has answered (or was mailed): never which response is theirs."""

    __tablename__ = "response_receipt"
    __table_args__ = (UniqueConstraint("activity_questionnaire_id", "person_id", name="uq_receipt_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("activity_questionnaire.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    invited: Mapped[bool] = mapped_column(default=False)
    reminded: Mapped[bool] = mapped_column(default=False)
    answered: Mapped[bool] = mapped_column(default=False)
