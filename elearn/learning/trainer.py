"""What trainers see of a course: its enrolments (page and CSV), question results and attempts."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from elearn.extensions import db
from elearn.learning.lookups import active_lessons, active_questions, done_counts, lesson_counts, percent
from elearn.learning.models import Course, Enrolment, Lesson, LessonProgress, QuizAnswer, QuizAttempt, QuizQuestion
from elearn.people.models import Parliament, Person

SORTS = ("name", "parliament", "enrolled", "progress", "score", "completed")


def _done_count():
    return (select(func.count(LessonProgress.id))
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(LessonProgress.enrolment_id == Enrolment.id, Lesson.retired_at.is_(None))
            .correlate(Enrolment).scalar_subquery())


def enrolments_statement(course: Course, sort: str = "name", descending: bool = False, locale: str = "en"):
    """Enrolments of a course with their people and parliaments, sorted (parliaments by the names the reader
    sees, in `locale`); for a page or a CSV."""
    columns = {
        "name": func.lower(Person.full_name),
        "parliament": Parliament.name_column(locale),
        "enrolled": Enrolment.enrolled_at,
        "progress": _done_count(),
        "score": func.coalesce(Enrolment.best_score, -1),
        "completed": case((Enrolment.completed_at.is_(None), 1), else_=0),
    }
    column = columns.get(sort, columns["name"])
    order = column.desc() if descending else column.asc()
    return (select(Enrolment).join(Person, Person.id == Enrolment.person_id)
            .outerjoin(Parliament, Parliament.id == Person.parliament_id)
            .where(Enrolment.course_id == course.id)
            .options(joinedload(Enrolment.person).joinedload(Person.parliament), joinedload(Enrolment.certificate))
            .order_by(order, Enrolment.completed_at.asc() if sort == "completed" else Enrolment.id, Enrolment.id))


def course_overview() -> list[dict]:
    """Every course with its numbers of lessons, enrolments and completions (three queries)."""
    courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
    lessons = lesson_counts([c.id for c in courses])
    stats = {row.course_id: row for row in db.session.execute(
        select(Enrolment.course_id, func.count(Enrolment.id).label("enrolled"),
               func.count(Enrolment.completed_at).label("completed")).group_by(Enrolment.course_id))}
    return [{"course": c, "lessons": lessons.get(c.id, 0),
             "enrolled": stats[c.id].enrolled if c.id in stats else 0,
             "completed": stats[c.id].completed if c.id in stats else 0} for c in courses]


def attempt_counts(enrolment_ids: list[int]) -> dict[int, int]:
    """Quiz attempts made per enrolment (refused attempts are never recorded, so never counted)."""
    if not enrolment_ids:
        return {}
    return dict(db.session.execute(
        select(QuizAttempt.enrolment_id, func.count(QuizAttempt.id))
        .where(QuizAttempt.enrolment_id.in_(enrolment_ids)).group_by(QuizAttempt.enrolment_id)).all())


def enrolments_csv(course: Course, locale: str) -> str:
    lessons = len(active_lessons(course))
    enrolments = db.session.scalars(enrolments_statement(course)).unique().all()
    done = done_counts([e.id for e in enrolments])
    attempts = attempt_counts([e.id for e in enrolments])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "parliament", "kind", "enrolled_at", "lessons_done", "lessons",
                     "best_score", "quiz_attempts", "quiz_passed_at", "completed_at", "certificate"])
    for e in enrolments:
        person = e.person
        writer.writerow([
            _csv_safe(person.full_name), _csv_safe(person.email),
            _csv_safe(person.parliament.name(locale)) if person.parliament else "", person.kind.value,
            e.enrolled_at.isoformat(timespec="seconds"), done.get(e.id, 0), lessons,
            "" if e.best_score is None else e.best_score, attempts.get(e.id, 0),
            e.quiz_passed_at.isoformat(timespec="seconds") if e.quiz_passed_at else "",
            e.completed_at.isoformat(timespec="seconds") if e.completed_at else "",
            e.certificate.code if e.certificate else "",
        ])
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet from reading a name as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@dataclass
class QuestionResult:
    question: QuizQuestion
    answers: int
    correct: int

    @property
    def success(self) -> int:
        return percent(self.correct, self.answers)


def question_results(course: Course) -> list[QuestionResult]:
    """Per active question, how many answers and how many right; the most failed first."""
    questions = active_questions(course)
    rows = {row.question_id: row for row in db.session.execute(
        select(QuizAnswer.question_id, func.count(QuizAnswer.id).label("answers"),
               func.sum(case((QuizAnswer.is_correct, 1), else_=0)).label("correct"))
        .where(QuizAnswer.question_id.in_([q.id for q in questions])).group_by(QuizAnswer.question_id))} if questions else {}
    results = [QuestionResult(q, rows[q.id].answers if q.id in rows else 0,
                              int(rows[q.id].correct or 0) if q.id in rows else 0) for q in questions]
    return sorted(results, key=lambda r: (r.success if r.answers else 101, r.question.position))


def attempt_summary(course: Course) -> dict:
    row = db.session.execute(
        select(func.count(QuizAttempt.id), func.sum(case((QuizAttempt.passed, 1), else_=0)))
        .join(Enrolment, Enrolment.id == QuizAttempt.enrolment_id).where(Enrolment.course_id == course.id)).one()
    return {"attempts": row[0] or 0, "passed": int(row[1] or 0)}
