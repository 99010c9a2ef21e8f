"""Course folders written to disk in the real format, and learners at given stages of a course."""
from __future__ import annotations

import struct
import tempfile
import zlib
from pathlib import Path

from werkzeug.datastructures import MultiDict

from elearn.extensions import db
from elearn.learning.importing import import_path
from elearn.learning.lookups import active_lessons, active_questions, has_quiz
from elearn.learning.models import Course, Enrolment
from elearn.learning.progress import mark_lesson_done
from elearn.learning.quizzes import submit_quiz

LESSON_BODY = {
    "en": "## Why it matters\n\nCommittees examine bills in detail and question ministers.\n\nSee [the next lesson]({link}).\n",
    "fr": "## Pourquoi c'est important\n\nLes commissions examinent les textes et entendent les ministres.\n\nVoir [la leçon suivante]({link}).\n",
}

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 120" role="img">'
       '<title>{title}</title><rect x="10" y="10" width="300" height="100" fill="#eef"/>'
       '<text x="20" y="60">{title}</text></svg>')


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real PNG of the given size (grey pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width * 3 for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def write_course(root: Path, slug: str = "sample-course", *, lessons: int = 3, questions: int = 2,
                 languages: tuple[str, ...] = ("en", "fr"), assets: dict[str, bytes] | None = None,
                 title: dict | None = None, extra: str = "", self_enrolment: bool = True,
                 topics: tuple[str, ...] = ("committee-work",), audience: str = "both",
                 pass_mark: int = 50) -> Path:
    """Write a valid course folder; tests then break one thing in it."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    title = title or {"en": f"Sample course {slug}", "fr": f"Cours d'exemple {slug}"}
    lines = [f'slug = "{slug}"', "version = 1", f'audience = "{audience}"',
             "topics = [" + ", ".join(f'"{t}"' for t in topics) + "]",
             "estimated_minutes = 30", "languages = [" + ", ".join(f'"{x}"' for x in languages) + "]",
             f"pass_mark = {pass_mark}", f"self_enrolment = {'true' if self_enrolment else 'false'}", extra, "",
             "[title]", *[f'{x} = "{title[x]}"' for x in languages], "",
             "[summary]", *[f'{x} = "A summary in {x} about committee work."' for x in languages], ""]
    (folder / "course.toml").write_text("\n".join(lines), encoding="utf-8")
    for n in range(1, lessons + 1):
        link = f"{(n % lessons) + 1:02d}-lesson-{(n % lessons) + 1}.md"
        for language in languages:
            body = LESSON_BODY.get(language, LESSON_BODY["en"]).format(link=link)
            (folder / f"{n:02d}-lesson-{n}.{language}.md").write_text(
                f'+++\ntitle = "Lesson {n} ({language})"\nminutes = 5\n+++\n\n{body}', encoding="utf-8")
    if questions:
        for language in languages:
            parts = []
            for q in range(1, questions + 1):
                parts.append(f'[[questions]]\nid = "q{q}"\nkind = "{"single" if q % 2 else "multiple"}"\n'
                             f'prompt = "Question {q} ({language})?"\nexplanation = "Because {q} ({language})."\n')
                for key, correct in (("a", True), ("b", q % 2 == 0), ("c", False)):
                    parts.append(f'  [[questions.options]]\n  id = "{key}"\n  text = "Option {key} ({language})"\n'
                                 f'  correct = {"true" if correct else "false"}\n')
            (folder / f"quiz.{language}.toml").write_text("\n".join(parts), encoding="utf-8")
    for name, data in (assets or {}).items():
        path = folder / "assets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def make_course(slug: str = "sample-course", **options) -> Course:
    """Write a course to a temporary folder and import it as `flask courses import` would."""
    with tempfile.TemporaryDirectory() as directory:
        write_course(Path(directory), slug, **options)
        import_path(Path(directory))
    return db.session.scalar(db.select(Course).where(Course.slug == slug))


def right_answers(course: Course) -> MultiDict:
    form = MultiDict()
    for question in active_questions(course):
        for option in question.options:
            if option.is_correct:
                form.add(f"question-{question.id}", str(option.id))
    return form


def enrol(person, course: Course) -> Enrolment:
    """Enrol directly, whether or not the course allows self-enrolment."""
    enrolment = Enrolment(person=person, course=course)
    db.session.add(enrolment)
    db.session.commit()
    return enrolment


def complete_course(person, course: Course):
    """Enrol `person`, mark every lesson done and pass the quiz; returns (enrolment, attempt)."""
    enrolment = enrol(person, course)
    for lesson in active_lessons(course):
        mark_lesson_done(enrolment, lesson)
    attempt = submit_quiz(enrolment, right_answers(course)) if has_quiz(course) else None
    return enrolment, attempt
