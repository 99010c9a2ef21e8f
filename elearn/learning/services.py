"""Enrolment, progress, quizzes, completion and certificates. No HTTP in here."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.models import (
    Audience,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    QuestionKind,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizQuestion,
    localised,
)
from elearn.mail.services import queue_mail
from elearn.people.models import Parliament, Person, PersonKind
from elearn.urls import absolute_url


class LearningError(Exception):
    """A request that cannot be carried out; the message is for the user."""


class TamperedSubmission(Exception):
    """A quiz submission no honest form could have produced (the view answers 400)."""


class IncompleteSubmission(LearningError):
    def __init__(self, message: str, missing: list[int]):
        super().__init__(message)
        self.missing = missing


# Looking things up -------------------------------------------------------------


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


# The catalogue -------------------------------------------------------------------


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
    return cards


def lesson_counts(course_ids: list[int]) -> dict[int, int]:
    if not course_ids:
        return {}
    return dict(db.session.execute(
        select(Lesson.course_id, func.count(Lesson.id))
        .where(Lesson.course_id.in_(course_ids), Lesson.retired_at.is_(None)).group_by(Lesson.course_id)).all())


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


# Enrolment -----------------------------------------------------------------------


def _enrol(person: Person, course: Course, by: Person | None) -> tuple[Enrolment, bool]:
    existing = db.session.scalar(select(Enrolment).where(Enrolment.person_id == person.id,
                                                         Enrolment.course_id == course.id))
    if existing is not None:
        return existing, False
    enrolment = Enrolment(person=person, course=course, enrolled_by=by)
    db.session.add(enrolment)
    return enrolment, True


def enrol_self(person: Person, course: Course) -> Enrolment:
    if not course.published:
        raise LearningError(_("This course is not open for enrolment."))
    if not course.self_enrolment:
        raise LearningError(_("A trainer enrols learners in this course; ask your programme officer."))
    enrolment, _created = _enrol(person, course, None)
    db.session.commit()
    return enrolment


@dataclass
class BulkEnrolment:
    added: list[Person] = field(default_factory=list)
    already: list[Person] = field(default_factory=list)


def enrol_people(course: Course, people: Iterable[Person], by: Person) -> BulkEnrolment:
    """Enrol each person (once) and mail the newly enrolled, in one transaction."""
    result = BulkEnrolment()
    for person in people:
        if not person.is_active:
            continue
        _enrolment, created = _enrol(person, course, by)
        (result.added if created else result.already).append(person)
        if created:
            queue_mail(to=person.email, template="course_enrolment", locale=person.preferred_language,
                       person=person, course_title=course.title_in(person.preferred_language),
                       enrolled_by=by, minutes=course.estimated_minutes,
                       link=absolute_url("learning.course", slug=course.slug))
    db.session.commit()
    return result


class UnknownAddresses(LearningError):
    """Some addresses match no active account (the message names them)."""


def enrol_listed(course: Course, *, emails: str, parliament_id: int | None, kind: str, by: Person) -> BulkEnrolment:
    """Enrol the accounts of the listed addresses and/or a parliament's delegation, all or none."""
    people, unknown = people_from_emails(emails)
    if unknown:
        raise UnknownAddresses(_("No active account for: %(emails)s", emails=", ".join(unknown)))
    if parliament_id:
        people += [person for person in delegation(parliament_id, kind) if person not in people]
    if not people:
        raise LearningError(_("Give at least one address or choose a parliament with members."))
    return enrol_people(course, people, by)


EMAIL_SPLIT_RE = re.compile(r"[\s,;]+")


def people_from_emails(text: str) -> tuple[list[Person], list[str]]:
    """The active accounts for the addresses in `text`, and the addresses that match none."""
    emails = list(dict.fromkeys(e.strip().lower() for e in EMAIL_SPLIT_RE.split(text) if e.strip()))
    found = {p.email: p for p in db.session.scalars(
        select(Person).where(Person.email.in_(emails), Person.is_active.is_(True)))} if emails else {}
    return [found[e] for e in emails if e in found], [e for e in emails if e not in found]


def delegation(parliament_id: int, kind: str = "") -> list[Person]:
    """The active members of a parliament's delegation, optionally only MPs or only staff."""
    statement = select(Person).where(Person.parliament_id == parliament_id, Person.is_active.is_(True))
    if kind in (PersonKind.MP, PersonKind.STAFF):
        statement = statement.where(Person.kind == PersonKind(kind))
    return list(db.session.scalars(statement.order_by(Person.full_name)))


# Progress and completion -----------------------------------------------------------


def mark_lesson_done(enrolment: Enrolment, lesson: Lesson) -> bool:
    """Record the lesson as done (once); returns True if this completed the course."""
    if lesson.course_id != enrolment.course_id or lesson.is_retired:
        raise LearningError(_("This lesson is not part of your course."))
    exists = db.session.scalar(select(LessonProgress.id).where(LessonProgress.enrolment_id == enrolment.id,
                                                               LessonProgress.lesson_id == lesson.id))
    if exists is None:
        db.session.add(LessonProgress(enrolment=enrolment, lesson=lesson))
        db.session.flush()
    completed = _complete_if_done(enrolment)
    db.session.commit()
    return completed


def _complete_if_done(enrolment: Enrolment) -> bool:
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


# Quizzes -------------------------------------------------------------------------


def read_answers(questions: list[QuizQuestion], form: Mapping) -> dict[int, list[int]]:
    """The chosen option ids per question id, from fields named question-<id>.

    Anything a real form could not send (a question of another quiz, an option
    of another question, two answers to a single-choice question) raises
    TamperedSubmission; an unanswered question raises IncompleteSubmission.
    """
    by_id = {question.id: question for question in questions}
    answers: dict[int, list[int]] = {}
    for name in form.keys():
        if not name.startswith("question-"):
            continue
        raw_id = name.removeprefix("question-")
        if not raw_id.isdigit() or int(raw_id) not in by_id:
            raise TamperedSubmission(f"unknown question {name}")
        question = by_id[int(raw_id)]
        values = form.getlist(name) if hasattr(form, "getlist") else list(form[name])
        option_ids = {option.id for option in question.options}
        chosen: list[int] = []
        for value in values:
            if not str(value).isdigit() or int(value) not in option_ids:
                raise TamperedSubmission(f"unknown option {value!r} for {name}")
            if int(value) not in chosen:
                chosen.append(int(value))
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            raise TamperedSubmission(f"several answers to single-choice {name}")
        if chosen:
            answers[question.id] = chosen
    missing = [question.id for question in questions if question.id not in answers]
    if missing:
        raise IncompleteSubmission(_("Answer every question before submitting."), missing)
    return answers


def submit_quiz(enrolment: Enrolment, form: Mapping) -> QuizAttempt:
    """Score a submission on the server and record it; a bad submission records nothing."""
    course = enrolment.course
    questions = active_questions(course)
    if not questions:
        raise LearningError(_("This course has no quiz."))
    answers = read_answers(questions, form)
    attempt = QuizAttempt(enrolment=enrolment, quiz_id=questions[0].quiz_id, total=len(questions), correct=0)
    for question in questions:
        correct_ids = {option.id for option in question.options if option.is_correct}
        chosen = answers[question.id]
        is_correct = set(chosen) == correct_ids
        keys = {option.id: option.key for option in question.options}
        attempt.answers.append(QuizAnswer(question=question, chosen=[keys[i] for i in chosen], is_correct=is_correct))
        attempt.correct += int(is_correct)
    attempt.score = percent(attempt.correct, attempt.total)
    attempt.passed = attempt.score >= course.pass_mark
    db.session.add(attempt)
    if enrolment.best_score is None or attempt.score > enrolment.best_score:
        enrolment.best_score = attempt.score
    if attempt.passed and enrolment.quiz_passed_at is None:
        enrolment.quiz_passed_at = utcnow()
    db.session.flush()
    _complete_if_done(enrolment)
    db.session.commit()
    return attempt


# Certificates ---------------------------------------------------------------------


def certificate_by_code(code: str) -> Certificate | None:
    normalised = code.strip().upper()
    return db.session.scalar(select(Certificate).where(Certificate.code == normalised))


def certificate_pdf(certificate: Certificate, locale: str) -> bytes:
    """An A4 landscape certificate, in the reader's language, with its verification code and URL."""
    from fpdf import FPDF

    font = current_app.config["CERTIFICATE_FONT"]
    bold = font.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    verify_url = absolute_url("learning.verify_certificate", code=certificate.code)
    with force_locale(locale):
        title = _("Certificate of completion")
        lead = _("This certifies that")
        middle = _("has completed the course")
        issued = _("Issued on %(date)s", date=format_date(certificate.issued_at, "long"))
        check = _("Verification code %(code)s: %(url)s", code=certificate.code, url=verify_url)
        course_title = localised(certificate.course_title, locale)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"{title}: {course_title}")
    pdf.set_author("Hemicycle")
    pdf.set_creator("Hemicycle")
    pdf.add_font("DejaVu", "", font)
    pdf.add_font("DejaVu", "B", bold)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(11, 61, 110)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_text_color(11, 61, 110)
    pdf.set_font("DejaVu", "B", 16)
    pdf.set_y(28)
    pdf.cell(0, 10, "Hemicycle", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 30)
    pdf.cell(0, 18, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(27, 27, 27)
    pdf.set_font("DejaVu", "", 14)
    pdf.ln(8)
    pdf.cell(0, 10, lead, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 24)
    pdf.cell(0, 14, certificate.holder_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 14)
    pdf.cell(0, 10, middle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 18)
    pdf.set_x(30)
    pdf.multi_cell(237, 10, course_title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 13)
    pdf.ln(6)
    pdf.cell(0, 10, issued, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(176)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_text_color(80, 80, 80)
    pdf.cell(0, 8, check, align="C", link=verify_url)
    return bytes(pdf.output())


# Trainer views -----------------------------------------------------------------------

SORTS = ("name", "parliament", "enrolled", "progress", "score", "completed")


def _done_count():
    return (select(func.count(LessonProgress.id))
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(LessonProgress.enrolment_id == Enrolment.id, Lesson.retired_at.is_(None))
            .correlate(Enrolment).scalar_subquery())


def enrolments_statement(course: Course, sort: str = "name", descending: bool = False):
    """Enrolments of a course with their people and parliaments, sorted; for a page or a CSV."""
    columns = {
        "name": func.lower(Person.full_name),
        "parliament": Parliament.name_en,
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


def done_counts(enrolment_ids: list[int]) -> dict[int, int]:
    if not enrolment_ids:
        return {}
    return dict(db.session.execute(
        select(LessonProgress.enrolment_id, func.count(LessonProgress.id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.enrolment_id.in_(enrolment_ids), Lesson.retired_at.is_(None))
        .group_by(LessonProgress.enrolment_id)).all())


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


def enrolments_csv(course: Course, locale: str) -> str:
    lessons = len(active_lessons(course))
    enrolments = db.session.scalars(enrolments_statement(course)).unique().all()
    done = done_counts([e.id for e in enrolments])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "parliament", "kind", "enrolled_at", "lessons_done", "lessons",
                     "best_score", "quiz_passed_at", "completed_at", "certificate"])
    for e in enrolments:
        person = e.person
        writer.writerow([
            _csv_safe(person.full_name), _csv_safe(person.email),
            _csv_safe(person.parliament.name(locale)) if person.parliament else "", person.kind.value,
            e.enrolled_at.isoformat(timespec="seconds"), done.get(e.id, 0), lessons,
            "" if e.best_score is None else e.best_score,
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
