"""The course catalogue and a learner's own courses, with their progress."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.induction import is_newly_elected
from elearn.learning.lookups import lesson_counts, percent
from elearn.learning.models import Audience, Course, Enrolment, Lesson, LessonProgress


@dataclass(frozen=True)
class CatalogueFilters:
    query: str = ""
    topic: str = ""
    audience: str = ""
    language: str = ""


@dataclass
class CourseCard:
    course: Course
    lessons: int
    enrolment: Enrolment | None = None
    done: int = 0
    recommended: bool = False  # the induction course, for a newly elected member

    @property
    def progress(self) -> int:
        return percent(self.done, self.lessons)


def _fold(text: str) -> str:
    """Lower-case without accents, so that "procedure" finds "procédure"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def catalogue(filters: CatalogueFilters, person=None) -> list[CourseCard]:
    """Published courses matching the filters, with lesson counts and the person's progress.

    A catalogue holds tens of courses, so the filtering by topic, audience,
    language and words happens here rather than in SQL over JSON columns; the
    number of queries stays the same however many courses and lessons there are.
    """
    courses = db.session.scalars(select(Course).where(Course.published.is_(True)).order_by(Course.slug)).all()
    words = _fold(filters.query).split()

    def matches(course: Course) -> bool:
        if filters.topic and filters.topic not in course.topics:
            return False
        if filters.audience in (Audience.MPS, Audience.STAFF) and course.audience not in (filters.audience, Audience.BOTH):
            return False
        if filters.language and filters.language not in course.languages:
            return False
        haystack = _fold(" ".join([*course.title.values(), *course.summary.values(), course.slug]))
        return all(word in haystack for word in words)

    chosen = [course for course in courses if matches(course)]
    counts = lesson_counts([course.id for course in chosen])
    cards = [CourseCard(course, counts.get(course.id, 0)) for course in chosen]
    if getattr(person, "is_authenticated", False) and cards:
        attach_progress(person, cards)
        _recommend_induction(person, cards)
    return cards


def highlights(limit: int) -> tuple[list[CourseCard], int]:
    """A few published courses for a first look (induction courses first), and how many are published."""
    published = select(Course).where(Course.published.is_(True))
    courses = db.session.scalars(published.order_by(Course.induction.desc(), Course.slug).limit(limit)).all()
    total = db.session.scalar(select(func.count(Course.id)).where(Course.published.is_(True)))
    counts = lesson_counts([course.id for course in courses])
    return [CourseCard(course, counts.get(course.id, 0)) for course in courses], total or 0


def _recommend_induction(person, cards: list[CourseCard]) -> None:
    """A newly elected member finds the induction courses first (the sort keeps the rest in order)."""
    if not is_newly_elected(person, utcnow().date()):
        return
    for card in cards:
        card.recommended = card.course.induction and card.course.audience != Audience.STAFF
    cards.sort(key=lambda card: not card.recommended)


def attach_progress(person, cards: list[CourseCard]) -> None:
    by_course = {card.course.id: card for card in cards}
    enrolments = db.session.scalars(select(Enrolment).where(
        Enrolment.person_id == person.id, Enrolment.course_id.in_(by_course))).all()
    for enrolment in enrolments:
        by_course[enrolment.course_id].enrolment = enrolment
    done = dict(db.session.execute(
        select(LessonProgress.enrolment_id, func.count(LessonProgress.id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.enrolment_id.in_([e.id for e in enrolments]), Lesson.retired_at.is_(None))
        .group_by(LessonProgress.enrolment_id)).all()) if enrolments else {}
    for enrolment in enrolments:
        by_course[enrolment.course_id].done = done.get(enrolment.id, 0)


def my_learning(person) -> list[CourseCard]:
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.person_id == person.id)
                                    .options(joinedload(Enrolment.course), joinedload(Enrolment.certificate))
                                    .order_by(Enrolment.enrolled_at.desc())).unique().all()
    counts = lesson_counts([e.course_id for e in enrolments])
    cards = [CourseCard(e.course, counts.get(e.course_id, 0)) for e in enrolments]
    if cards:
        attach_progress(person, cards)
    return cards
