"""Lessons done and the completion of a course, which issues its certificate."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from flask_babel import gettext as _
from sqlalchemy import update

from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.errors import LearningError
from elearn.learning.lookups import active_lessons, done_lesson_ids, has_quiz
from elearn.learning.models import Certificate, Enrolment, Lesson, LessonProgress


@dataclass(frozen=True)
class LessonsMarked:
    recorded: frozenset[int]  # the lessons newly marked done (the others were done already)
    completed: bool  # this completed the course


def mark_lesson_done(enrolment: Enrolment, lesson: Lesson) -> bool:
    """Record the lesson as done (once); returns True if this completed the course."""
    return mark_lessons_done(enrolment, [(lesson, None)]).completed


def mark_lessons_done(enrolment: Enrolment, lessons: Iterable[tuple[Lesson, datetime | None]]) -> LessonsMarked:
    """Record each lesson as done once, in one transaction, at the time given or now.

    A time comes with lessons read offline and sent later: it is kept between the enrolment and now, so
    a browser's wrong clock cannot date progress before the enrolment or in the future.
    """
    lessons = list(lessons)
    if any(lesson.course_id != enrolment.course_id or lesson.is_retired for lesson, _at in lessons):
        raise LearningError(_("This lesson is not part of your course."))
    _lock_progress(enrolment)
    done = done_lesson_ids(enrolment)
    now, recorded = utcnow(), set()
    for lesson, at in lessons:
        if lesson.id in done or lesson.id in recorded:
            continue
        when = now if at is None else min(max(at, enrolment.enrolled_at), now)
        db.session.add(LessonProgress(enrolment=enrolment, lesson=lesson, completed_at=when))
        recorded.add(lesson.id)
    db.session.flush()
    completed = complete_if_done(enrolment)
    db.session.commit()
    return LessonsMarked(frozenset(recorded), completed)


def _lock_progress(enrolment: Enrolment) -> None:
    """Serialise one enrolment's progress until the transaction ends (as quizzes._lock_attempts does).

    Two tabs sending the same lessons read offline, or a double click, must not both insert a lesson
    (the unique constraint would turn the second into an error) nor both issue the certificate.
    """
    db.session.execute(update(Enrolment).where(Enrolment.id == enrolment.id)
                       .values(best_score=Enrolment.best_score).execution_options(synchronize_session=False))
    db.session.refresh(enrolment)


def complete_if_done(enrolment: Enrolment) -> bool:
    if enrolment.completed_at is not None:
        return False
    course = enrolment.course
    lessons = {lesson.id for lesson in active_lessons(course)}
    if not lessons <= done_lesson_ids(enrolment):
        return False
    if has_quiz(course) and enrolment.quiz_passed_at is None:
        return False
    now = utcnow()
    enrolment.completed_at = now
    db.session.add(Certificate(enrolment=enrolment, holder_name=enrolment.person.full_name,
                               course_title=dict(course.title), course_version=course.version, issued_at=now))
    return True
