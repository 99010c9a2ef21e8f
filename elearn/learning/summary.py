"""A learner's courses at a glance, for the dashboard: in progress, certificates, courses to start.

Each function reads a bounded number of rows in a fixed number of queries, whatever
the number of enrolments, lessons or certificates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from elearn.extensions import db
from elearn.learning.lookups import percent
from elearn.learning.models import (
    Audience,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    localised,
)
from elearn.people.models import PersonKind


@dataclass(frozen=True)
class CourseInProgress:
    course: Course
    lessons: int
    done: int
    next_lesson_slug: str | None  # the first lesson not yet done, in course order
    next_lesson_title: dict

    @property
    def progress(self) -> int:
        return percent(self.done, self.lessons)

    def next_title_in(self, locale: str) -> str:
        return localised(self.next_lesson_title, locale, self.course.languages)


@dataclass(frozen=True)
class EarnedCertificate:
    course_slug: str
    course_title: dict  # as printed on the certificate
    issued_at: datetime
    code: str

    def title_in(self, locale: str) -> str:
        return localised(self.course_title, locale)


def courses_in_progress(person, limit: int) -> list[CourseInProgress]:
    """The person's unfinished courses, most recently started first, each with its next lesson (3 queries)."""
    enrolments = db.session.scalars(
        select(Enrolment).join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.person_id == person.id, Enrolment.completed_at.is_(None), Course.published.is_(True))
        .options(contains_eager(Enrolment.course))
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc()).limit(limit)).all()
    if not enrolments:
        return []
    lessons_by_course: dict[int, list] = {}
    for row in db.session.execute(
            select(Lesson.id, Lesson.course_id, Lesson.slug, Lesson.title)
            .where(Lesson.course_id.in_([e.course_id for e in enrolments]), Lesson.retired_at.is_(None))
            .order_by(Lesson.course_id, Lesson.position, Lesson.id)):
        lessons_by_course.setdefault(row.course_id, []).append(row)
    done = set(db.session.execute(select(LessonProgress.enrolment_id, LessonProgress.lesson_id).where(
        LessonProgress.enrolment_id.in_([e.id for e in enrolments]))).all())
    result = []
    for enrolment in enrolments:
        lessons = lessons_by_course.get(enrolment.course_id, [])
        finished = [lesson for lesson in lessons if (enrolment.id, lesson.id) in done]
        following = next((lesson for lesson in lessons if (enrolment.id, lesson.id) not in done), None)
        result.append(CourseInProgress(enrolment.course, len(lessons), len(finished),
                                       following.slug if following else None,
                                       dict(following.title) if following else {}))
    return result


def certificates_earned(person, limit: int) -> list[EarnedCertificate]:
    """The person's certificates, newest first (1 query)."""
    rows = db.session.execute(
        select(Course.slug, Certificate.course_title, Certificate.issued_at, Certificate.code)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id).join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.person_id == person.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(limit))
    return [EarnedCertificate(row.slug, dict(row.course_title), row.issued_at, row.code) for row in rows]


def _audiences_for(person) -> tuple[Audience, ...]:
    if person.kind == PersonKind.MP:
        return (Audience.BOTH, Audience.MPS)
    if person.kind == PersonKind.STAFF:
        return (Audience.BOTH, Audience.STAFF)
    return tuple(Audience)


def courses_to_start(person, limit: int) -> list[Course]:
    """Published courses open to self-enrolment, for this person's audience, not yet enrolled in (1 query).

    Induction courses are left to the induction invitation, which offers them to newly elected members only.
    """
    enrolled = select(Enrolment.course_id).where(Enrolment.person_id == person.id)
    return list(db.session.scalars(
        select(Course).where(Course.published.is_(True), Course.self_enrolment.is_(True), Course.induction.is_(False),
                             Course.audience.in_(_audiences_for(person)), Course.id.not_in(enrolled))
        .order_by(Course.slug).limit(limit)))
