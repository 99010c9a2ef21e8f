"""Learning gain: a test before the first session and the same test after the last, per participant.

The test is a quiz of the learning feature: the quiz of the activity's course, or one chosen for it.
Individual scores are shown only to the person and to the activity's trainers.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.learning.models import Quiz
from elearn.scheduling.models import Activity


class TestPhase(LabelledEnum):
    PRE = "pre", _l("Before the activity")
    POST = "post", _l("After the activity")


class LearningTest(db.Model):
    """The quiz an activity uses as its pre-test and post-test."""

    __tablename__ = "learning_test"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), unique=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    quiz: Mapped[Quiz] = relationship()


class TestScore(db.Model):
    """A participant's score (0-100) at one phase; the gain is post minus pre."""

    __tablename__ = "test_score"
    __table_args__ = (
        UniqueConstraint("learning_test_id", "person_id", "phase", name="uq_test_score_once"),
        CheckConstraint("score >= 0 AND score <= 100", name="score_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learning_test_id: Mapped[int] = mapped_column(ForeignKey("learning_test.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    phase: Mapped[TestPhase] = mapped_column(string_enum(TestPhase, "test_phase"))
    score: Mapped[int]
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    learning_test: Mapped[LearningTest] = relationship()
