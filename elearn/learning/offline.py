"""Courses read offline: what a learner's browser saves of a course (the manifest), and the lessons it queued as
done while offline, recorded when it is back online."""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import current_app, url_for
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from elearn.extensions import db
from elearn.learning import lookups
from elearn.learning.models import Course, CourseAsset, Enrolment
from elearn.learning.progress import mark_lessons_done

# What the course, lesson and quiz pages load besides themselves (base.html and the learning templates). A new
# file there must be added here, or the pages read offline go without it (tests/learning/test_offline.py checks).
PAGE_STATIC_FILES = ("css/site.css", "css/print.css", "img/favicon.svg", "js/site.js", "js/offline.js")

MAX_QUEUED = 500  # lessons in one sending: more than any course has, less than a request worth refusing
MAX_ID_LENGTH = 64


class BadQueue(ValueError):
    """The lessons sent are not in the shape the browser's script sends."""


@dataclass(frozen=True)
class QueuedLesson:
    id: str  # the browser's own id for the entry, echoed back so that it can forget it
    lesson: str  # the lesson's slug
    done_at: datetime | None


@dataclass(frozen=True)
class QueuedResult:
    id: str
    lesson: str
    outcome: str  # recorded | already | refused
    reason: str = ""  # why refused: not_in_course


def owner_key(person_id: int) -> str:
    """An opaque mark of the person an offline copy was saved for (the page and the manifest carry it).

    A browser shared by two people keeps one person's copies and queue away from the other: the script
    deletes copies saved for someone else, and sends only the queued lessons of whoever is signed in.
    """
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"offline-owner:{person_id}".encode(), hashlib.sha256).hexdigest()[:20]


@lru_cache(maxsize=64)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def _static_digest(filename: str) -> str:
    """The content's hash: a static file changed under the same name still changes the manifest's version."""
    path = Path(current_app.static_folder) / filename
    stat = path.stat()
    return _file_digest(str(path), stat.st_mtime_ns, stat.st_size)


def manifest(course: Course, enrolment: Enrolment, locale: str) -> dict:
    """Every address the browser saves for reading the course offline, and the version of that set.

    The version changes with the course's files, the reader's language (pages are saved in it) and the
    site's static files, so a browser holding an older copy saves the course again.
    """
    lessons = lookups.active_lessons(course)
    pages = [url_for("learning.course", slug=course.slug)]
    pages += [url_for("learning.lesson", slug=course.slug, lesson_slug=lesson.slug) for lesson in lessons]
    if lookups.has_quiz(course):
        pages.append(url_for("learning.quiz", slug=course.slug))
    pages.append(url_for("learning_offline.fallback"))
    # The same address as a lesson's <img src> (content/rendering.py): ?v= is the file's hash.
    assets = [url_for("learning.asset", slug=course.slug, path=path, v=sha256[:12])
              for path, sha256 in db.session.execute(
                  select(CourseAsset.path, CourseAsset.sha256).where(CourseAsset.course_id == course.id)
                  .order_by(CourseAsset.path))]
    static = [url_for("static", filename=name) for name in PAGE_STATIC_FILES]
    urls = pages + assets + static
    version = hashlib.sha256(json.dumps(
        [course.content_hash, course.version, locale, urls, [_static_digest(name) for name in PAGE_STATIC_FILES]]
    ).encode()).hexdigest()[:16]
    return {
        "course": course.slug,
        "title": course.title_in(locale),
        "course_url": pages[0],
        "version": version,
        "owner": owner_key(enrolment.person_id),
        "urls": urls,
        "progress_url": url_for("learning_offline.record_progress", slug=course.slug),
        # Sending the queue needs a token of the current session: a page saved hours ago may hold an old one.
        "csrf_token": generate_csrf(),
    }


def parse_queue(payload) -> list[QueuedLesson]:
    """Read {"lessons": [{"id", "lesson", "done_at"}]} as the script sends it; anything else is a BadQueue."""
    items = payload.get("lessons") if isinstance(payload, dict) else None
    if not isinstance(items, list) or len(items) > MAX_QUEUED:
        raise BadQueue(f"expected {{\"lessons\": [...]}} with at most {MAX_QUEUED} entries")
    queued = []
    for item in items:
        if not isinstance(item, dict):
            raise BadQueue("each entry is an object")
        entry_id, lesson, done_at = item.get("id"), item.get("lesson"), item.get("done_at")
        if not isinstance(entry_id, str) or not 0 < len(entry_id) <= MAX_ID_LENGTH:
            raise BadQueue(f"id: a text of 1 to {MAX_ID_LENGTH} characters")
        if not isinstance(lesson, str) or not 0 < len(lesson) <= 100:
            raise BadQueue("lesson: a lesson's slug")
        queued.append(QueuedLesson(entry_id, lesson, _instant(done_at)))
    return queued


def _instant(value) -> datetime | None:
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise BadQueue("done_at: an ISO 8601 time with its offset, e.g. 2025-12-07T14:05:00Z")
    return instant


@dataclass(frozen=True)
class QueueRecorded:
    results: list[QueuedResult]
    completed: bool  # these lessons completed the course (its certificate is issued)


def record_queue(enrolment: Enrolment, queued: list[QueuedLesson]) -> QueueRecorded:
    """Mark the course's lessons done as the learning service marks one; each lesson once, whatever is resent.

    A lesson of another course, or one withdrawn from this course since, is refused; the others are recorded
    (or were already), in one transaction.
    """
    lessons = {lesson.slug: lesson for lesson in lookups.active_lessons(enrolment.course)}
    known = [(lessons[entry.lesson], entry.done_at) for entry in queued if entry.lesson in lessons]
    marked = mark_lessons_done(enrolment, known)
    results, reported = [], set()
    for entry in queued:
        lesson = lessons.get(entry.lesson)
        if lesson is None:
            results.append(QueuedResult(entry.id, entry.lesson, "refused", "not_in_course"))
        elif lesson.id in marked.recorded and lesson.id not in reported:
            reported.add(lesson.id)
            results.append(QueuedResult(entry.id, entry.lesson, "recorded"))
        else:
            results.append(QueuedResult(entry.id, entry.lesson, "already"))
    return QueueRecorded(results, marked.completed)
