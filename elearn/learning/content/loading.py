"""Read course folders (course.toml, lessons, quizzes, assets), check them, and render lessons.

Nothing here touches the database: `load_courses` returns what it read and every
problem found, each tied to a file and a line, so `courses check` can report
them and `courses import` can refuse to write anything while there are any.
"""
from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from elearn.learning.content.course_file import check_induction, read_course_toml
from elearn.learning.content.images import IMAGE_SUFFIXES, check_image
from elearn.learning.content.lessons import read_lessons
from elearn.learning.content.quiz_files import read_quiz
from elearn.learning.content.rendering import render_lesson
from elearn.learning.content.sources import AssetSource, CourseSource, Problem, display_path
from elearn.learning.content.toml_files import line_of_key, read_toml

ASSET_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf"}
LESSON_IMAGE_TYPES = {".svg", ".png"}  # diagrams kept next to the lesson files that show them


def course_folders(root: Path) -> list[Path]:
    """`root` itself if it is a course, else its sub-folders (hidden and _-prefixed ones skipped)."""
    if (root / "course.toml").exists():
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def load_courses(root: Path) -> tuple[list[CourseSource], list[Problem]]:
    """Read and check every course under `root`; the courses are usable only if there are no problems."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        return [], [Problem(root, 1, "no such folder")]
    courses = []
    for folder in course_folders(root):
        course = _load_course(folder, problems)
        if course is not None:
            courses.append(course)
    seen: dict[str, CourseSource] = {}
    for course in courses:
        if course.slug and course.slug in seen:
            problems.append(Problem(course.folder / "course.toml", line_of_key(course.folder / "course.toml", "slug"),
                                    f"duplicate slug {course.slug!r}: also used by {display_path(seen[course.slug].folder)}"))
        seen.setdefault(course.slug, course)
    return courses, problems


def _content_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _load_course(folder: Path, problems: list[Problem]) -> CourseSource | None:
    toml_path = folder / "course.toml"
    if not toml_path.exists():
        problems.append(Problem(toml_path, 1, "course.toml is missing"))
        return None
    bad_links = _links_leaving(folder)
    if bad_links:
        # A link could pull any file the importing account can read into a public course.
        problems.extend(Problem(path, 1, message) for path, message in bad_links)
        return None
    try:
        content_hash = _content_hash(folder)
    except OSError as error:
        problems.append(Problem(Path(error.filename or folder), 1, f"cannot be read: {error.strerror}"))
        return None
    course = CourseSource(folder=folder, content_hash=content_hash)
    data = read_toml(toml_path, problems)
    if data is None:
        return None
    read_course_toml(course, toml_path, data, problems)
    check_induction(course, toml_path, problems)
    _read_assets(course, problems)
    read_lessons(course, problems)
    read_quiz(course, problems)
    for lesson in course.lessons:
        for text in lesson.texts.values():
            text.html = render_lesson(text, course, problems)
    return course


def _links_leaving(folder: Path) -> list[tuple[Path, str]]:
    """Links that point outside the course folder, or that cannot be followed at all (a loop)."""
    inside = folder.resolve()
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_symlink():
            continue
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop, on Python 3.11
            found.append((path, "a link that cannot be followed (missing target or a loop)"))
            continue
        if not target.is_relative_to(inside):
            found.append((path, "links to a file outside the course folder; copy the file in instead"))
    return found


def _read_assets(course: CourseSource, problems: list[Problem]) -> None:
    """Files of assets/, and the SVG or PNG images next to the lessons; both are served from the same place."""
    folder = course.folder / "assets"
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix.lower() not in ASSET_TYPES:
                problems.append(Problem(path, 1, f"unsupported asset type {path.suffix!r} (allowed: {', '.join(sorted(ASSET_TYPES))})"))
                continue
            _read_asset(course, path, path.relative_to(folder).as_posix(), problems)
    for path in sorted(p for p in course.folder.iterdir() if p.suffix.lower() in LESSON_IMAGE_TYPES and p.is_file()):
        if path.name in course.assets:
            problems.append(Problem(path, 1, f"assets/{path.name} has the same name: rename one of them"))
            continue
        _read_asset(course, path, path.name, problems)


def _read_asset(course: CourseSource, path: Path, name: str, problems: list[Problem]) -> None:
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(path, 1, f"cannot be read: {error.strerror}"))
        return
    width = height = None
    if path.suffix.lower() in IMAGE_SUFFIXES:
        checked = check_image(path.suffix, data)
        if checked.problems:
            problems.extend(Problem(path, line, message) for line, message in checked.problems)
            return
        width, height = checked.width, checked.height
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    course.assets[name] = AssetSource(name, content_type, data, hashlib.sha256(data).hexdigest(), width, height)
