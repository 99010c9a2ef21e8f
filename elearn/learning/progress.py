"""Lessons done and the completion of a course, which issues its certificate."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.errors import LearningError
from elearn.learning.lookups import active_lessons, done_lesson_ids, has_quiz
from elearn.learning.models import Certificate, Enrolment, Lesson, LessonProgress


def mark_lesson_done(enrolment: Enrolment, lesson: Lesson) -> bool:
    """Record the lesson as done (once); returns True if this completed the course."""
    if lesson.course_id != enrolment.course_id or lesson.is_retired:
        raise LearningError(_("This lesson is not part of your course."))
    exists = db.session.scalar(select(LessonProgress.id).where(LessonProgress.enrolment_id == enrolment.id,
                                                               LessonProgress.lesson_id == lesson.id))
    if exists is None:
        db.session.add(LessonProgress(enrolment=enrolment, lesson=lesson))
        db.session.flush()
    completed = complete_if_done(enrolment)
    db.session.commit()
    return completed


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
