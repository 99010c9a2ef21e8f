"""Read course folders (course.toml, lessons, quizzes, assets), check them, and render lessons.

Nothing here touches the database: `load_courses` returns what it read and every
problem found, each tied to a file and a line, so `courses check` can report
them and `courses import` can refuse to write anything while there are any.
"""
from __future__ import annotations

import hashlib
import mimetypes
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import nh3
from markdown_it import MarkdownIt

from elearn.learning.topics import COURSE_LANGUAGES, TOPICS

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LESSON_FILE_RE = re.compile(r"^(?P<number>\d{2,3})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>[a-z]{2})\.md$")
QUIZ_FILE_RE = re.compile(r"^quiz\.(?P<lang>[a-z]{2})\.toml$")
# A link from one lesson to another: 02-the-plenary-sitting.md, optionally .fr.md and #anchor.
LESSON_LINK_RE = re.compile(r"^(?:\./)?\d{2,3}-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.[a-z]{2})?\.md(?P<fragment>#[\w-]*)?$")
EXTERNAL_RE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#)")
ASSET_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf"}

COURSE_KEYS = {"slug", "version", "title", "summary", "audience", "topics", "estimated_minutes",
               "languages", "pass_mark", "self_enrolment", "published"}
REQUIRED_COURSE_KEYS = ("slug", "version", "title", "summary", "audience", "topics",
                        "estimated_minutes", "languages", "pass_mark")
AUDIENCES = ("mps", "staff", "both")
FRONT_MATTER_KEYS = {"title", "minutes"}
QUESTION_KEYS = {"id", "kind", "prompt", "explanation", "options"}
OPTION_KEYS = {"id", "text", "correct"}
# Ids the page layout uses: a heading anchor must not take them.
RESERVED_IDS = {"main", "content", "language-select", "error-summary-title", "lesson-title", "quiz"}


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
    path: str  # relative to assets/, with forward slashes
    content_type: str
    data: bytes
    sha256: str


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
    self_enrolment: bool = True
    published: bool = True
    lessons: list[LessonSource] = field(default_factory=list)
    questions: list[QuestionSource] | None = None  # None: the course has no quiz
    assets: dict[str, AssetSource] = field(default_factory=dict)
    content_hash: str = ""


# Reading ---------------------------------------------------------------------


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
            problems.append(Problem(course.folder / "course.toml", _line_of_key(course.folder / "course.toml", "slug"),
                                    f"duplicate slug {course.slug!r}: also used by {display_path(seen[course.slug].folder)}"))
        seen.setdefault(course.slug, course)
    return courses, problems


def _read_toml(path: Path, problems: list[Problem], line_offset: int = 0, text: str | None = None) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
        return tomllib.loads(text)
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, "not UTF-8 text"))
    except OSError as error:
        problems.append(Problem(path, 1, f"cannot be read: {error.strerror}"))
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(match.group(1)) if match else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error)) if match else str(error)
        problems.append(Problem(path, line + line_offset, f"invalid TOML: {message}"))
    # tomllib lets these two through: arrays or tables nested hundreds deep, integers of thousands of digits.
    except RecursionError:
        problems.append(Problem(path, 1 + line_offset, "invalid TOML: arrays or tables nested too deeply"))
    except ValueError:
        problems.append(Problem(path, 1 + line_offset, "invalid TOML: a number with too many digits"))
    return None


def _line_of_key(path: Path, key: str, table: str | None = None, text: str | None = None) -> int:
    """The line where `key = ...` is set (inside `[table]` if given); 1 if not found."""
    try:
        lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    in_table = table is None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            if table is not None:
                in_table = stripped == f"[{table}]"
            else:
                in_table = False
            continue
        if in_table and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    if table is not None:
        for number, line in enumerate(lines, start=1):
            if line.strip() == f"[{table}]":
                return number
    return 1


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
    data = _read_toml(toml_path, problems)
    if data is None:
        return None
    _read_course_toml(course, toml_path, data, problems)
    _read_assets(course, problems)
    _read_lessons(course, problems)
    _read_quiz(course, problems)
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


def _read_course_toml(course: CourseSource, path: Path, data: dict, problems: list[Problem]) -> None:
    def problem(key: str, message: str, table: str | None = None) -> None:
        problems.append(Problem(path, _line_of_key(path, key, table), message))

    for key in sorted(set(data) - COURSE_KEYS):
        problem(key, f"unknown key {key!r} (expected one of: {', '.join(sorted(COURSE_KEYS))})")
    for key in REQUIRED_COURSE_KEYS:
        if key not in data:
            problems.append(Problem(path, 1, f"missing key {key!r}"))

    slug = data.get("slug", "")
    if "slug" in data:
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            problem("slug", f"slug {slug!r} must be lower-case letters, digits and hyphens")
        else:
            course.slug = slug
    for key in ("version", "estimated_minutes"):
        if key in data:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                problem(key, f"{key} must be a whole number of at least 1")
            else:
                setattr(course, key, value)
    if "pass_mark" in data:
        value = data["pass_mark"]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            problem("pass_mark", "pass_mark must be a percentage from 0 to 100")
        else:
            course.pass_mark = value
    for key in ("self_enrolment", "published"):
        if key in data:
            if not isinstance(data[key], bool):
                problem(key, f"{key} must be true or false")
            else:
                setattr(course, key, data[key])
    if "audience" in data:
        if data["audience"] not in AUDIENCES:
            problem("audience", f"unknown audience {data['audience']!r} (expected one of: {', '.join(AUDIENCES)})")
        else:
            course.audience = data["audience"]
    if "topics" in data:
        topics = data["topics"]
        if not isinstance(topics, list) or not topics or not all(isinstance(t, str) for t in topics):
            problem("topics", "topics must be a non-empty list of topic names")
        else:
            for topic in topics:
                if topic not in TOPICS:
                    problem("topics", f"unknown topic {topic!r} (known topics: {', '.join(TOPICS)})")
            course.topics = [t for t in topics if t in TOPICS]
    if "languages" in data:
        languages = data["languages"]
        if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
            problem("languages", "languages must be a non-empty list such as [\"en\", \"fr\"]")
        else:
            for language in languages:
                if language not in COURSE_LANGUAGES:
                    problem("languages", f"unsupported language {language!r} (supported: {', '.join(COURSE_LANGUAGES)})")
            if len(set(languages)) != len(languages):
                problem("languages", "a language is listed twice")
            course.languages = list(dict.fromkeys(x for x in languages if x in COURSE_LANGUAGES))
    for key in ("title", "summary"):
        value = data.get(key)
        if key not in data:
            continue
        if not isinstance(value, dict):
            problem(key, f"{key} must be a table of texts per language, e.g. [{key}] en = \"...\"")
            continue
        texts = {}
        for language, text in value.items():
            if not isinstance(text, str) or not text.strip():
                problem(language, f"{key} in {language!r} must be a non-empty text", table=key)
            elif language not in course.languages:
                problem(language, f"{key} in {language!r}, which is not one of the course's languages", table=key)
            else:
                texts[language] = text.strip()
        for language in course.languages:
            if language not in value:
                problems.append(Problem(path, _line_of_key(path, key, key), f"missing translation: no {key} in {language!r}"))
        setattr(course, key, texts)


def _read_assets(course: CourseSource, problems: list[Problem]) -> None:
    folder = course.folder / "assets"
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() not in ASSET_TYPES:
            problems.append(Problem(path, 1, f"unsupported asset type {path.suffix!r} (allowed: {', '.join(sorted(ASSET_TYPES))})"))
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            problems.append(Problem(path, 1, f"cannot be read: {error.strerror}"))
            continue
        relative = path.relative_to(folder).as_posix()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        course.assets[relative] = AssetSource(relative, content_type, data, hashlib.sha256(data).hexdigest())


def _split_front_matter(path: Path, text: str, problems: list[Problem]) -> tuple[dict | None, str, int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        problems.append(Problem(path, 1, "the file must start with a front matter between +++ lines (title, minutes)"))
        return None, text, 1
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        problems.append(Problem(path, 1, "the front matter has no closing +++ line"))
        return None, "", 1
    data = _read_toml(path, problems, line_offset=1, text="\n".join(lines[1:end]))
    return data, "\n".join(lines[end + 1:]), end + 2


def _read_lessons(course: CourseSource, problems: list[Problem]) -> None:
    by_slug: dict[str, LessonSource] = {}
    numbers: dict[tuple[int, str], Path] = {}
    for path in sorted(course.folder.glob("*.md")):
        if path.name == "README.md":
            continue
        match = LESSON_FILE_RE.match(path.name)
        if not match:
            problems.append(Problem(path, 1, "a lesson file is named NN-lesson-slug.LANG.md, e.g. 01-introduction.en.md"))
            continue
        number, slug, language = int(match["number"]), match["slug"], match["lang"]
        if language not in course.languages:
            problems.append(Problem(path, 1, f"language {language!r} is not in the course's languages {course.languages}"))
            continue
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
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(path, 1, "not UTF-8 text"))
            continue
        except OSError as error:  # a folder named like a lesson
            problems.append(Problem(path, 1, f"cannot be read: {error.strerror}"))
            continue
        front, body, body_line = _split_front_matter(path, text, problems)
        if front is None:
            continue
        for key in sorted(set(front) - FRONT_MATTER_KEYS):
            problems.append(Problem(path, 1 + _line_of_key(path, key), f"unknown front matter key {key!r} (expected title, minutes)"))
        title = front.get("title")
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(path, 1, "the front matter needs a title"))
            continue
        minutes = front.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 1:
            problems.append(Problem(path, 1, "the front matter needs minutes, a whole number of at least 1"))
            continue
        if not body.strip():
            problems.append(Problem(path, body_line, "the lesson has no text"))
            continue
        lesson.texts[language] = LessonText(path, language, title.strip(), minutes, body, body_line)
    lessons = sorted(by_slug.values(), key=lambda lesson: lesson.position)
    for lesson in lessons:
        if not lesson.texts:
            continue
        some = next(iter(lesson.texts.values()))
        for language in course.languages:
            if language not in lesson.texts and not any(
                    p.path.name == f"{lesson.position:02d}-{lesson.slug}.{language}.md" for p in problems):
                problems.append(Problem(some.path, 1, f"missing translation: no {lesson.position:02d}-{lesson.slug}.{language}.md"))
    if not lessons:
        problems.append(Problem(course.folder, 1, "the course has no lessons"))
    course.lessons = lessons


def _question_lines(text: str) -> tuple[list[int], list[list[int]]]:
    """Line numbers of each [[questions]] and, per question, of each [[questions.options]]."""
    questions: list[int] = []
    options: list[list[int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped == "[[questions]]":
            questions.append(number)
            options.append([])
        elif stripped == "[[questions.options]]" and options:
            options[-1].append(number)
    return questions, options


def _read_quiz(course: CourseSource, problems: list[Problem]) -> None:
    files = {}
    for path in sorted(course.folder.glob("*.toml")):
        if path.name == "course.toml":
            continue
        match = QUIZ_FILE_RE.match(path.name)
        if not match:
            problems.append(Problem(path, 1, "a quiz file is named quiz.LANG.toml, e.g. quiz.en.toml"))
        elif match["lang"] not in course.languages:
            problems.append(Problem(path, 1, f"language {match['lang']!r} is not in the course's languages {course.languages}"))
        else:
            files[match["lang"]] = path
    if not files:
        return
    parsed: dict[str, list[QuestionSource]] = {}
    for language in course.languages:
        if language not in files:
            some = next(iter(files.values()))
            problems.append(Problem(some, 1, f"missing translation: no quiz.{language}.toml"))
            continue
        questions = _read_quiz_file(files[language], language, problems)
        if questions is not None:
            parsed[language] = questions
    if len(parsed) != len(course.languages):
        return
    first_language = course.languages[0]
    reference = parsed[first_language]
    for language in course.languages[1:]:
        path = files[language]
        others = parsed[language]
        if [q.key for q in others] != [q.key for q in reference]:
            problems.append(Problem(path, 1, f"the questions ({', '.join(q.key for q in others)}) differ from "
                                             f"quiz.{first_language}.toml ({', '.join(q.key for q in reference)})"))
            continue
        for mine, theirs in zip(others, reference, strict=False):
            if mine.kind != theirs.kind:
                problems.append(Problem(path, mine.line, f"question {mine.key!r} is {mine.kind} here but {theirs.kind} in quiz.{first_language}.toml"))
            elif [(o.key, o.correct) for o in mine.options] != [(o.key, o.correct) for o in theirs.options]:
                problems.append(Problem(path, mine.line, f"question {mine.key!r} has different options or correct answers than in quiz.{first_language}.toml"))
    questions = reference
    for question in questions:
        for language in course.languages[1:]:
            other = next((q for q in parsed[language] if q.key == question.key), None)
            if other is None:
                continue
            question.prompt.update(other.prompt)
            question.explanation.update(other.explanation)
            for option, other_option in zip(question.options, other.options, strict=False):
                option.text.update(other_option.text)
    course.questions = questions


def _read_quiz_file(path: Path, language: str, problems: list[Problem]) -> list[QuestionSource] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, "not UTF-8 text"))
        return None
    except OSError as error:
        problems.append(Problem(path, 1, f"cannot be read: {error.strerror}"))
        return None
    data = _read_toml(path, problems, text=text)
    if data is None:
        return None
    start = len(problems)
    question_lines, option_lines = _question_lines(text)
    for key in sorted(set(data) - {"questions"}):
        problems.append(Problem(path, _line_of_key(path, key, text=text), f"unknown key {key!r} (a quiz has only [[questions]])"))
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(Problem(path, 1, "the quiz has no [[questions]]"))
        return None
    questions: list[QuestionSource] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_questions):
        line = question_lines[index] if index < len(question_lines) else 1
        if not isinstance(raw, dict):
            problems.append(Problem(path, line, "each question is a [[questions]] table"))
            continue
        key = raw.get("id")
        label = f"question {key!r}" if isinstance(key, str) else f"question {index + 1}"
        for unknown in sorted(set(raw) - QUESTION_KEYS):
            problems.append(Problem(path, line, f"{label}: unknown key {unknown!r}"))
        if not isinstance(key, str) or not SLUG_RE.match(key):
            problems.append(Problem(path, line, f"{label}: needs an id of letters, digits and hyphens"))
            continue
        if key in seen:
            problems.append(Problem(path, line, f"duplicate question id {key!r}"))
        seen.add(key)
        kind = raw.get("kind")
        if kind not in ("single", "multiple"):
            problems.append(Problem(path, line, f"{label}: kind must be \"single\" or \"multiple\""))
        for field_name in ("prompt", "explanation"):
            if not isinstance(raw.get(field_name), str) or not raw[field_name].strip():
                problems.append(Problem(path, line, f"{label}: needs a {field_name}"))
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            problems.append(Problem(path, line, f"{label}: needs at least two [[questions.options]]"))
            continue
        question = QuestionSource(key=key, kind=kind or "single", line=line,
                                  prompt={language: str(raw.get("prompt", "")).strip()},
                                  explanation={language: str(raw.get("explanation", "")).strip()})
        option_keys: set[str] = set()
        for position, option in enumerate(raw_options):
            lines = option_lines[index] if index < len(option_lines) else []
            option_line = lines[position] if position < len(lines) else line
            if not isinstance(option, dict):
                problems.append(Problem(path, option_line, f"{label}: each option is a [[questions.options]] table"))
                continue
            for unknown in sorted(set(option) - OPTION_KEYS):
                problems.append(Problem(path, option_line, f"{label}: unknown option key {unknown!r}"))
            option_key = option.get("id")
            if not isinstance(option_key, str) or not SLUG_RE.match(option_key):
                problems.append(Problem(path, option_line, f"{label}: an option needs an id such as \"a\""))
                continue
            if option_key in option_keys:
                problems.append(Problem(path, option_line, f"{label}: duplicate option id {option_key!r}"))
            option_keys.add(option_key)
            if not isinstance(option.get("text"), str) or not option["text"].strip():
                problems.append(Problem(path, option_line, f"{label}: option {option_key!r} needs a text"))
            if not isinstance(option.get("correct", False), bool):
                problems.append(Problem(path, option_line, f"{label}: option {option_key!r}: correct must be true or false"))
            question.options.append(OptionSource(option_key, option.get("correct") is True,
                                                 {language: str(option.get("text", "")).strip()}))
        correct = sum(1 for option in question.options if option.correct)
        if correct == 0:
            problems.append(Problem(path, line, f"{label} has no correct answer"))
        elif kind == "single" and correct > 1:
            problems.append(Problem(path, line, f"{label} is single-choice but has {correct} correct answers"))
        questions.append(question)
    return questions if len(problems) == start else None


# Rendering ---------------------------------------------------------------------

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def render_lesson(text: LessonText, course: CourseSource, problems: list[Problem]) -> str:
    """Markdown to sanitised HTML; lesson and asset links are checked and made relative to the lesson page.

    A lesson page lives at /courses/<course>/lessons/<lesson>, so another lesson
    is `<slug>` and an asset is `../assets/<path>`.
    """
    md = _markdown()
    tokens = md.parse(text.markdown)
    lesson_slugs = {lesson.slug for lesson in course.lessons}
    used_ids: set[str] = set(RESERVED_IDS)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            base = slugify(inline.content)
            anchor, n = base, 1
            while anchor in used_ids:
                n += 1
                anchor = f"{base}-{n}"
            used_ids.add(anchor)
            token.attrSet("id", anchor)
        if token.type != "inline" or not token.children:
            continue
        line = text.body_line + (token.map[0] if token.map else 0)
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                child.attrSet("href", _resolve(child.attrGet("href") or "", text, course, lesson_slugs, line, problems))
            elif child.type == "image":
                child.attrSet("src", _resolve(child.attrGet("src") or "", text, course, lesson_slugs, line, problems))
    html = md.renderer.render(tokens, md.options, {})
    return sanitise(html)


def _resolve(url: str, text: LessonText, course: CourseSource, lesson_slugs: set[str], line: int,
             problems: list[Problem]) -> str:
    lesson_link = LESSON_LINK_RE.match(url)
    if lesson_link:
        if lesson_link["slug"] not in lesson_slugs:
            problems.append(Problem(text.path, line, f"broken link to {url}: this course has no lesson {lesson_link['slug']!r}"))
        return lesson_link["slug"] + (lesson_link["fragment"] or "")
    if EXTERNAL_RE.match(url):
        return url  # absolute, anchors and other schemes: the sanitiser drops unsafe ones
    path, _, fragment = url.partition("#")
    path = path.removeprefix("./")
    if path.startswith("assets/"):
        asset = course.assets.get(path.removeprefix("assets/"))
        if asset is None:
            problems.append(Problem(text.path, line, f"missing asset {path}"))
            return url
        return f"../{path}?v={asset.sha256[:12]}" + (f"#{fragment}" if fragment else "")
    problems.append(Problem(text.path, line, f"broken link to {url}: link to a lesson (NN-slug.md), an asset (assets/...) or a full URL"))
    return url


def sanitise(html: str) -> str:
    """Keep the formatting, drop scripts, event handlers, styles and unsafe URL schemes."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def word_count(markdown: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", markdown))
