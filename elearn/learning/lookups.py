"""Reading courses, lessons, questions and a person's enrolment and progress; shared by the pages and the services."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from elearn.extensions import db
from elearn.learning.models import Course, Enrolment, Lesson, LessonProgress, Quiz, QuizQuestion


def course_by_slug(slug: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == slug))


def active_lessons(course: Course) -> list[Lesson]:
    return list(db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id, Lesson.retired_at.is_(None)).order_by(Lesson.position)))


def active_questions(course: Course) -> list[QuizQuestion]:
    return list(db.session.scalars(
        select(QuizQuestion).join(Quiz).where(Quiz.course_id == course.id, QuizQuestion.retired_at.is_(None))
        .options(selectinload(QuizQuestion.options)).order_by(QuizQuestion.position)))


def has_quiz(course: Course) -> bool:
    return bool(db.session.scalar(
        select(func.count(QuizQuestion.id)).join(Quiz)
        .where(Quiz.course_id == course.id, QuizQuestion.retired_at.is_(None))))


def enrolment_for(person, course: Course) -> Enrolment | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return db.session.scalar(select(Enrolment).where(Enrolment.person_id == person.id,
                                                     Enrolment.course_id == course.id))


def done_lesson_ids(enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(db.session.scalars(select(LessonProgress.lesson_id).where(LessonProgress.enrolment_id == enrolment.id)))


def lesson_to_resume(lessons: list[Lesson], done: set[int]) -> Lesson | None:
    """The first lesson not yet done, in course order (the last one when all are done)."""
    for lesson in lessons:
        if lesson.id not in done:
            return lesson
    return lessons[-1] if lessons else None


def percent(part: int, whole: int) -> int:
    return (100 * part) // whole if whole else 0


def lesson_counts(course_ids: list[int]) -> dict[int, int]:
    if not course_ids:
        return {}
    return dict(db.session.execute(
        select(Lesson.course_id, func.count(Lesson.id))
        .where(Lesson.course_id.in_(course_ids), Lesson.retired_at.is_(None)).group_by(Lesson.course_id)).all())


def done_counts(enrolment_ids: list[int]) -> dict[int, int]:
    if not enrolment_ids:
        return {}
    return dict(db.session.execute(
        select(LessonProgress.enrolment_id, func.count(LessonProgress.id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.enrolment_id.in_(enrolment_ids), Lesson.retired_at.is_(None))
        .group_by(LessonProgress.enrolment_id)).all())
