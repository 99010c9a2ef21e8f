"""Lesson files (NN-slug.LANG.md): their names, their front matter and their text."""
from __future__ import annotations

import re
from pathlib import Path

from elearn.learning.content.sources import CourseSource, LessonSource, LessonText, Problem
from elearn.learning.content.toml_files import line_of_key, read_toml
from elearn.validation import Rule, check_fields, is_text, whole_number

LESSON_FILE_RE = re.compile(r"^(?P<number>\d{2,3})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>[a-z]{2})\.md$")

# A lesson without a title or minutes is not read further: its other problems would only be noise.
FRONT_MATTER_RULES = (
    Rule("title", is_text, "the front matter needs a title", required=True, fatal=True, keep=str.strip),
    Rule("minutes", whole_number(1), "the front matter needs minutes, a whole number of at least 1",
         required=True, fatal=True),
)
FRONT_MATTER_KEYS = {rule.key for rule in FRONT_MATTER_RULES}


def read_lessons(course: CourseSource, problems: list[Problem]) -> None:
    by_slug: dict[str, LessonSource] = {}
    numbers: dict[tuple[int, str], Path] = {}
    for path, number, slug, language in _lesson_files(course, problems):
        previous = numbers.get((number, language))
        if previous is not None:
            problems.append(Problem(path, 1, f"duplicate lesson number {number:02d}: also {previous.name}"))
        numbers[(number, language)] = path
        lesson = by_slug.get(slug)
        if lesson is None:
            lesson = by_slug[slug] = LessonSource(slug=slug, position=number)
        elif lesson.position != number:
            problems.append(Problem(path, 1, f"duplicate slug {slug!r}: lesson {lesson.position:02d} has it too"))
            continue
        text = _read_lesson_text(path, language, problems)
        if text is not None:
            lesson.texts[language] = text
    lessons = sorted(by_slug.values(), key=lambda lesson: lesson.position)
    _check_translations(lessons, course.languages, problems)
    if not lessons:
        problems.append(Problem(course.folder, 1, "the course has no lessons"))
    course.lessons = lessons


def _lesson_files(course: CourseSource, problems: list[Problem]):
    """(path, number, slug, language) of each lesson file named as it should be, in a language of the course."""
    for path in sorted(course.folder.glob("*.md")):
        if path.name == "README.md":
            continue
        match = LESSON_FILE_RE.match(path.name)
        if not match:
            problems.append(Problem(path, 1, "a lesson file is named NN-lesson-slug.LANG.md, e.g. 01-introduction.en.md"))
        elif match["lang"] not in course.languages:
            problems.append(Problem(path, 1, f"language {match['lang']!r} is not in the course's languages {course.languages}"))
        else:
            yield path, int(match["number"]), match["slug"], match["lang"]


def _read_lesson_text(path: Path, language: str, problems: list[Problem]) -> LessonText | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, "not UTF-8 text"))
        return None
    except OSError as error:  # a folder named like a lesson
        problems.append(Problem(path, 1, f"cannot be read: {error.strerror}"))
        return None
    front, body, body_line = split_front_matter(path, text, problems)
    if front is None:
        return None
    checked = check_fields(front, FRONT_MATTER_RULES, unknown="unknown front matter key {key!r} (expected title, minutes)")
    problems += [Problem(path, 1 if key in FRONT_MATTER_KEYS else 1 + line_of_key(path, key), message)
                 for key, message in checked.problems]
    if not checked.complete:
        return None
    if not body.strip():
        problems.append(Problem(path, body_line, "the lesson has no text"))
        return None
    return LessonText(path, language, checked.values["title"], checked.values["minutes"], body, body_line)


def split_front_matter(path: Path, text: str, problems: list[Problem]) -> tuple[dict | None, str, int]:
    """The front matter between +++ lines, the body after it, and the body's first line number."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        problems.append(Problem(path, 1, "the file must start with a front matter between +++ lines (title, minutes)"))
        return None, text, 1
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        problems.append(Problem(path, 1, "the front matter has no closing +++ line"))
        return None, "", 1
    data = read_toml(path, problems, line_offset=1, text="\n".join(lines[1:end]))
    return data, "\n".join(lines[end + 1:]), end + 2


def _check_translations(lessons: list[LessonSource], languages: list[str], problems: list[Problem]) -> None:
    """Each lesson read in one language must exist in all (unless its file there is already reported)."""
    for lesson in lessons:
        if not lesson.texts:
            continue
        some = next(iter(lesson.texts.values()))
        for language in languages:
            name = f"{lesson.position:02d}-{lesson.slug}.{language}.md"
            if language not in lesson.texts and not any(p.path.name == name for p in problems):
                problems.append(Problem(some.path, 1, f"missing translation: no {name}"))
