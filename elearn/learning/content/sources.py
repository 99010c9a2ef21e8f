"""What reading a course folder gives: the course, its lessons, quiz and assets, and the problems found."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from elearn.learning.quiz_rules import QuizSettings

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.message}"


def display_path(path: Path) -> str:
    # The folder is resolved, not the file: a link is named as the link, not as what it points to.
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class LessonText:
    path: Path
    language: str
    title: str
    minutes: int
    markdown: str
    body_line: int  # line number of the first body line in the file
    html: str = ""


@dataclass
class LessonSource:
    slug: str
    position: int
    texts: dict[str, LessonText] = field(default_factory=dict)

    @property
    def minutes(self) -> int:
        return max((text.minutes for text in self.texts.values()), default=0)


@dataclass
class OptionSource:
    key: str
    correct: bool
    text: dict[str, str] = field(default_factory=dict)


@dataclass
class QuestionSource:
    key: str
    kind: str
    line: int
    prompt: dict[str, str] = field(default_factory=dict)
    explanation: dict[str, str] = field(default_factory=dict)
    options: list[OptionSource] = field(default_factory=list)


@dataclass
class AssetSource:
    path: str  # relative to assets/ (or the file name of an image next to the lessons), with forward slashes
    content_type: str
    data: bytes
    sha256: str
    width: int | None = None  # pixels, for images whose size the checker reads (PNG, GIF, SVG)
    height: int | None = None


@dataclass
class CourseSource:
    folder: Path
    slug: str = ""
    version: int = 1
    title: dict[str, str] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    audience: str = "both"
    topics: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    estimated_minutes: int = 0
    pass_mark: int = 70
    induction: bool = False
    self_enrolment: bool = True
    published: bool = True
    quiz_settings: QuizSettings = field(default_factory=QuizSettings)  # the [quiz] table of course.toml
    lessons: list[LessonSource] = field(default_factory=list)
    questions: list[QuestionSource] | None = None  # None: the course has no quiz
    assets: dict[str, AssetSource] = field(default_factory=dict)
    content_hash: str = ""

