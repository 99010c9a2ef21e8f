"""Courses and lessons imported from courses/, and what learners do with them."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from elearn.codes import new_code
from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.extensions import db
from elearn.learning.quiz_rules import DEFAULT_REVIEW, QuizReview, QuizSettings
from elearn.people.models import Person


class Audience(enum.StrEnum):
    MPS = "mps"
    STAFF = "staff"
    BOTH = "both"


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"


def localised(values: dict[str, str] | None, locale: str, fallbacks: list[str] | tuple = ()) -> str:
    """The text in `locale`, else in the first fallback language that has one."""
    values = values or {}
    for language in (locale, *fallbacks, *values.keys()):
        if values.get(language):
            return values[language]
    return ""


class Course(db.Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    # Per language: {"en": "...", "fr": "..."}.
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    audience: Mapped[Audience] = mapped_column(string_enum(Audience, "course_audience"), default=Audience.BOTH)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    estimated_minutes: Mapped[int] = mapped_column(default=0)
    pass_mark: Mapped[int] = mapped_column(default=70)
    # `induction = true` in course.toml: offered first to newly elected members (learning/induction.py).
    induction: Mapped[bool] = mapped_column(default=False)
    self_enrolment: Mapped[bool] = mapped_column(default=True)
    published: Mapped[bool] = mapped_column(default=True)
    # SHA-256 of the course's files: an import skips a course whose files have not changed.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lessons: Mapped[list["Lesson"]] = relationship(back_populates="course", order_by="Lesson.position")
    quiz: Mapped[Optional["Quiz"]] = relationship(back_populates="course")

    def title_in(self, locale: str) -> str:
        return localised(self.title, locale, self.languages)

    def summary_in(self, locale: str) -> str:
        return localised(self.summary, locale, self.languages)

    def language_for(self, locale: str) -> str:
        """The course language shown to someone reading in `locale`."""
        return locale if locale in self.languages else (self.languages[0] if self.languages else locale)

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class Lesson(db.Model):
    __tablename__ = "lesson"
    __table_args__ = (
        UniqueConstraint("course_id", "slug", name="uq_lesson_course_slug"),
        Index("ix_lesson_course_position", "course_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    slug: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    # Rendered and sanitised at import, per language; deferred so outlines stay light.
    body_html: Mapped[dict] = deferred(mapped_column(JSON, default=dict))
    # A lesson removed from the files is retired, not deleted: progress on it stays.
    retired_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="lessons")

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def title_in(self, locale: str) -> str:
        return localised(self.title, locale)

    def __repr__(self) -> str:
        return f"<Lesson {self.slug}>"


class CourseAsset(db.Model):
    """An image or document from a course's assets/ folder, stored so that imports stay all-or-nothing."""

    __tablename__ = "course_asset"
    __table_args__ = (UniqueConstraint("course_id", "path", name="uq_course_asset_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    path: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class Quiz(db.Model):
    __tablename__ = "quiz"
    __table_args__ = (
        CheckConstraint("max_attempts IS NULL OR max_attempts >= 1", name="max_attempts_positive"),
        CheckConstraint("minutes_between_attempts >= 0", name="minutes_between_attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), unique=True)
    # From the [quiz] table of course.toml: what an attempt's results page shows, and how often one may try.
    review: Mapped[QuizReview] = mapped_column(string_enum(QuizReview, "quiz_review"), default=DEFAULT_REVIEW)
    max_attempts: Mapped[Optional[int]]  # None: no limit
    minutes_between_attempts: Mapped[int] = mapped_column(default=0)

    course: Mapped[Course] = relationship(back_populates="quiz")
    questions: Mapped[list["QuizQuestion"]] = relationship(
        back_populates="quiz", order_by="QuizQuestion.position")

    @property
    def settings(self) -> QuizSettings:
        return QuizSettings(self.review or DEFAULT_REVIEW, self.max_attempts, self.minutes_between_attempts or 0)


class QuizQuestion(db.Model):
    __tablename__ = "quiz_question"
    __table_args__ = (UniqueConstraint("quiz_id", "key", name="uq_quiz_question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"))
    key: Mapped[str] = mapped_column(String(50))  # the `id` in quiz.<lang>.toml
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(string_enum(QuestionKind, "question_kind"))
    prompt: Mapped[dict] = mapped_column(JSON, default=dict)
    explanation: Mapped[dict] = mapped_column(JSON, default=dict)
    retired_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    options: Mapped[list["QuizOption"]] = relationship(
        back_populates="question", order_by="QuizOption.position", cascade="all, delete-orphan")


class QuizOption(db.Model):
    __tablename__ = "quiz_option"
    __table_args__ = (UniqueConstraint("question_id", "key", name="uq_quiz_option_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("quiz_question.id"))
    key: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[dict] = mapped_column(JSON, default=dict)
    is_correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[QuizQuestion] = relationship(back_populates="options")


class Enrolment(db.Model):
    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("person_id", "course_id", name="uq_enrolment_person_course"),
        CheckConstraint("best_score IS NULL OR (best_score >= 0 AND best_score <= 100)", name="best_score_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    enrolled_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    best_score: Mapped[Optional[int]]  # percent, the best of all quiz attempts
    quiz_passed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    completed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    enrolled_by: Mapped[Optional[Person]] = relationship(foreign_keys=[enrolled_by_id])
    course: Mapped[Course] = relationship()
    progress: Mapped[list["LessonProgress"]] = relationship(back_populates="enrolment")
    certificate: Mapped[Optional["Certificate"]] = relationship(back_populates="enrolment")


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson_id", name="uq_lesson_progress_enrolment_lesson"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="progress")
    lesson: Mapped[Lesson] = relationship()


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempt"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 100", name="score_percent"),
        Index("ix_quiz_attempt_enrolment", "enrolment_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    correct: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    score: Mapped[int] = mapped_column(default=0)  # percent, rounded down
    passed: Mapped[bool] = mapped_column(default=False)

    enrolment: Mapped[Enrolment] = relationship()
    answers: Mapped[list["QuizAnswer"]] = relationship(back_populates="attempt", cascade="all, delete-orphan")


class QuizAnswer(db.Model):
    """One question of one attempt: which options were chosen, and whether that was right."""

    __tablename__ = "quiz_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id", name="uq_quiz_answer_attempt_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("quiz_question.id"), index=True)
    # Option keys, not ids: a re-import may replace the options of a question.
    chosen: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_correct: Mapped[bool] = mapped_column(default=False)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
    question: Mapped[QuizQuestion] = relationship()


class Certificate(db.Model):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, default=new_code)
    # As printed on the day: a later change of name or course title does not rewrite it.
    holder_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[dict] = mapped_column(JSON, default=dict)
    course_version: Mapped[int] = mapped_column(default=1)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="certificate")
