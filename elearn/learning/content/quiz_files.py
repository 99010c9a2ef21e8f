"""Quiz files (quiz.LANG.toml): their questions and options, and the agreement of their translations."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from elearn.learning.content.sources import SLUG_RE, CourseSource, OptionSource, Problem, QuestionSource
from elearn.learning.content.toml_files import line_of_key, read_toml
from elearn.validation import Rule, check_fields, is_bool, is_text

QUIZ_FILE_RE = re.compile(r"^quiz\.(?P<lang>[a-z]{2})\.toml$")


def _is_slug(value) -> bool:
    return isinstance(value, str) and bool(SLUG_RE.match(value))


# {label} names the question: by its id, or by its position when the id is unusable.
QUESTION_RULES = (
    Rule("id", _is_slug, "{label}: needs an id of letters, digits and hyphens", required=True, fatal=True),
    Rule("kind", lambda value: value in ("single", "multiple"), "{label}: kind must be \"single\" or \"multiple\"",
         required=True),
    Rule("prompt", is_text, "{label}: needs a {key}", required=True),
    Rule("explanation", is_text, "{label}: needs a {key}", required=True),
    Rule("options", lambda value: isinstance(value, list) and len(value) >= 2,
         "{label}: needs at least two [[questions.options]]", required=True, fatal=True),
)
OPTION_RULES = (
    Rule("id", _is_slug, "{label}: an option needs an id such as \"a\"", required=True, fatal=True),
    Rule("text", is_text, "{label}: option {option!r} needs a text", required=True),
    Rule("correct", is_bool, "{label}: option {option!r}: correct must be true or false"),
)


def read_quiz(course: CourseSource, problems: list[Problem]) -> None:
    files = _quiz_files(course, problems)
    if not files:
        return
    parsed: dict[str, list[QuestionSource]] = {}
    for language in course.languages:
        if language not in files:
            some = next(iter(files.values()))
            problems.append(Problem(some, 1, f"missing translation: no quiz.{language}.toml"))
            continue
        questions = read_quiz_file(files[language], language, problems)
        if questions is not None:
            parsed[language] = questions
    if len(parsed) != len(course.languages):
        return
    _compare_translations(course.languages, files, parsed, problems)
    questions = parsed[course.languages[0]]
    _merge_translations(questions, [parsed[language] for language in course.languages[1:]])
    course.questions = questions


def _quiz_files(course: CourseSource, problems: list[Problem]) -> dict[str, Path]:
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
    return files


def _compare_translations(languages: list[str], files: dict[str, Path], parsed: dict[str, list[QuestionSource]],
                          problems: list[Problem]) -> None:
    """Every translation asks the same questions, of the same kinds, with the same options and answers."""
    first_language = languages[0]
    reference = parsed[first_language]
    for language in languages[1:]:
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


def _merge_translations(questions: list[QuestionSource], translations: list[list[QuestionSource]]) -> None:
    for question in questions:
        for translated in translations:
            other = next((q for q in translated if q.key == question.key), None)
            if other is None:
                continue
            question.prompt.update(other.prompt)
            question.explanation.update(other.explanation)
            for option, other_option in zip(question.options, other.options, strict=False):
                option.text.update(other_option.text)


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


def read_quiz_file(path: Path, language: str, problems: list[Problem]) -> list[QuestionSource] | None:
    """The questions of one quiz file, or None if it has any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, "not UTF-8 text"))
        return None
    except OSError as error:
        problems.append(Problem(path, 1, f"cannot be read: {error.strerror}"))
        return None
    data = read_toml(path, problems, text=text)
    if data is None:
        return None
    start = len(problems)
    question_lines, option_lines = _question_lines(text)
    for key in sorted(set(data) - {"questions"}):
        problems.append(Problem(path, line_of_key(path, key, text=text), f"unknown key {key!r} (a quiz has only [[questions]])"))
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(Problem(path, 1, "the quiz has no [[questions]]"))
        return None
    questions: list[QuestionSource] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_questions):
        line = question_lines[index] if index < len(question_lines) else 1
        lines = option_lines[index] if index < len(option_lines) else []
        question = _read_question(raw, index, _Place(path, line, lines, language), seen, problems)
        if question is not None:
            questions.append(question)
    return questions if len(problems) == start else None


@dataclass(frozen=True)
class _Place:
    """Where a question is: its file, its line, the lines of its options, and the file's language."""

    path: Path
    line: int
    option_lines: list[int]
    language: str

    def option_line(self, position: int) -> int:
        return self.option_lines[position] if position < len(self.option_lines) else self.line


def _read_question(raw, index: int, place: _Place, seen: set[str], problems: list[Problem]) -> QuestionSource | None:
    if not isinstance(raw, dict):
        problems.append(Problem(place.path, place.line, "each question is a [[questions]] table"))
        return None
    key = raw.get("id")
    label = f"question {key!r}" if isinstance(key, str) else f"question {index + 1}"
    checked = check_fields(raw, QUESTION_RULES, unknown="{label}: unknown key {key!r}", label=label)
    problems += [Problem(place.path, place.line, message) for _key, message in checked.problems]
    if "id" in checked.values:
        if key in seen:
            problems.append(Problem(place.path, place.line, f"duplicate question id {key!r}"))
        seen.add(key)
    if not checked.complete:
        return None
    kind = raw.get("kind")
    question = QuestionSource(key=key, kind=kind or "single", line=place.line,
                              prompt={place.language: str(raw.get("prompt", "")).strip()},
                              explanation={place.language: str(raw.get("explanation", "")).strip()})
    option_keys: set[str] = set()
    for position, option in enumerate(raw["options"]):
        _read_option(option, question, label, place.option_line(position), place, option_keys, problems)
    correct = sum(1 for option in question.options if option.correct)
    if correct == 0:
        problems.append(Problem(place.path, place.line, f"{label} has no correct answer"))
    elif kind == "single" and correct > 1:
        problems.append(Problem(place.path, place.line, f"{label} is single-choice but has {correct} correct answers"))
    return question


def _read_option(option, question: QuestionSource, label: str, line: int, place: _Place, option_keys: set[str],
                 problems: list[Problem]) -> None:
    if not isinstance(option, dict):
        problems.append(Problem(place.path, line, f"{label}: each option is a [[questions.options]] table"))
        return
    checked = check_fields(option, OPTION_RULES, unknown="{label}: unknown option key {key!r}",
                           label=label, option=option.get("id"))
    problems += [Problem(place.path, line, message) for _key, message in checked.problems]
    if "id" not in checked.values:
        return
    option_key = checked.values["id"]
    if option_key in option_keys:
        problems.append(Problem(place.path, line, f"{label}: duplicate option id {option_key!r}"))
    option_keys.add(option_key)
    question.options.append(OptionSource(option_key, option.get("correct") is True,
                                         {place.language: str(option.get("text", "")).strip()}))
