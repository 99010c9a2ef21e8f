"""Write checked course sources to the database, all or nothing, keeping learners' history."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.content.loading import load_courses
from elearn.learning.content.sources import CourseSource, Problem
from elearn.learning.models import (
    Audience,
    Course,
    CourseAsset,
    Lesson,
    QuestionKind,
    Quiz,
    QuizOption,
    QuizQuestion,
)


class CourseProblems(Exception):
    """The files have problems: nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the course files")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    slug: str
    status: str  # "created", "updated" or "unchanged"
    lessons: int
    retired: int


def import_path(root: Path, *, force: bool = False) -> list[ImportResult]:
    """Check every course under `root`, then write them all in one transaction (or none)."""
    sources, problems = load_courses(root)
    if problems:
        raise CourseProblems(problems)
    return import_courses(sources, force=force)


def import_courses(sources: list[CourseSource], *, force: bool = False) -> list[ImportResult]:
    results = []
    try:
        for source in sources:
            results.append(_import_course(source, force=force))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return results


def _import_course(source: CourseSource, *, force: bool) -> ImportResult:
    now = utcnow()
    course = db.session.scalar(select(Course).where(Course.slug == source.slug).options(
        selectinload(Course.lessons), selectinload(Course.quiz)))
    if course is not None and course.content_hash == source.content_hash and not force:
        return ImportResult(source.slug, "unchanged", sum(1 for x in course.lessons if not x.is_retired), 0)
    status = "updated" if course is not None else "created"
    if course is None:
        course = Course(slug=source.slug)
        db.session.add(course)
    course.version = source.version
    course.title = dict(source.title)
    course.summary = dict(source.summary)
    course.audience = Audience(source.audience)
    course.topics = list(source.topics)
    course.languages = list(source.languages)
    course.estimated_minutes = source.estimated_minutes
    course.pass_mark = source.pass_mark
    course.induction = source.induction
    course.self_enrolment = source.self_enrolment
    course.published = source.published
    course.content_hash = source.content_hash
    course.imported_at = now
    db.session.flush()

    existing = {lesson.slug: lesson for lesson in course.lessons}
    for lesson_source in source.lessons:
        lesson = existing.pop(lesson_source.slug, None)
        if lesson is None:
            lesson = Lesson(course=course, slug=lesson_source.slug)
            db.session.add(lesson)
        lesson.position = lesson_source.position
        lesson.minutes = lesson_source.minutes
        lesson.title = {language: text.title for language, text in lesson_source.texts.items()}
        lesson.body_html = {language: text.html for language, text in lesson_source.texts.items()}
        lesson.retired_at = None
    retired = 0
    for lesson in existing.values():
        if lesson.retired_at is None:
            lesson.retired_at = now
            retired += 1

    _import_quiz(course, source, now)
    _import_assets(course, source)
    return ImportResult(source.slug, status, len(source.lessons), retired)


def _import_quiz(course: Course, source: CourseSource, now) -> None:
    quiz = course.quiz
    if quiz is None:
        if not source.questions:
            return
        quiz = Quiz(course=course)
        db.session.add(quiz)
    settings = source.quiz_settings
    quiz.review = settings.review
    quiz.max_attempts = settings.max_attempts
    quiz.minutes_between_attempts = settings.minutes_between_attempts
    db.session.flush()
    questions = {q.key: q for q in db.session.scalars(
        select(QuizQuestion).where(QuizQuestion.quiz_id == quiz.id).options(selectinload(QuizQuestion.options)))}
    for position, question_source in enumerate(source.questions or [], start=1):
        question = questions.pop(question_source.key, None)
        if question is None:
            question = QuizQuestion(quiz=quiz, key=question_source.key)
            db.session.add(question)
        question.position = position
        question.kind = QuestionKind(question_source.kind)
        question.prompt = dict(question_source.prompt)
        question.explanation = dict(question_source.explanation)
        question.retired_at = None
        options = {o.key: o for o in question.options}
        kept = []
        for option_position, option_source in enumerate(question_source.options, start=1):
            option = options.pop(option_source.key, None) or QuizOption(key=option_source.key)
            option.position = option_position
            option.text = dict(option_source.text)
            option.is_correct = option_source.correct
            kept.append(option)
        question.options = kept  # options no longer in the file are deleted (answers keep their keys)
    for question in questions.values():
        if question.retired_at is None:
            question.retired_at = now


def _import_assets(course: Course, source: CourseSource) -> None:
    existing = {a.path: a for a in db.session.scalars(select(CourseAsset).where(CourseAsset.course_id == course.id))}
    for path, asset_source in source.assets.items():
        asset = existing.pop(path, None)
        if asset is None:
            asset = CourseAsset(course_id=course.id, path=path)
            db.session.add(asset)
        if asset.sha256 != asset_source.sha256:
            asset.data = asset_source.data
            asset.sha256 = asset_source.sha256
        asset.content_type = asset_source.content_type
    for asset in existing.values():
        db.session.delete(asset)
