"""course.toml: what each key may hold, read into a CourseSource."""
from __future__ import annotations

from pathlib import Path

from elearn.learning.content.sources import SLUG_RE, CourseSource, Problem
from elearn.learning.content.toml_files import line_of_key
from elearn.learning.quiz_rules import QuizReview, QuizSettings
from elearn.learning.topics import COURSE_LANGUAGES, TOPICS
from elearn.validation import Rule, check_fields, is_bool, is_text_list, whole_number

AUDIENCES = ("mps", "staff", "both")


def _unknown_topics(topics: list[str]) -> list[str]:
    return [f"unknown topic {topic!r} (known topics: {', '.join(TOPICS)})" for topic in topics if topic not in TOPICS]


def _language_problems(languages: list[str]) -> list[str]:
    problems = [f"unsupported language {language!r} (supported: {', '.join(COURSE_LANGUAGES)})"
                for language in languages if language not in COURSE_LANGUAGES]
    if len(set(languages)) != len(languages):
        problems.append("a language is listed twice")
    return problems


def _texts_table(key: str) -> Rule:
    return Rule(key, lambda value: isinstance(value, dict),
                f"{key} must be a table of texts per language, e.g. [{key}] en = \"...\"", required=True)


# Required keys first, in the order their absence is reported; title and summary are read per language later.
COURSE_RULES = (
    Rule("slug", lambda value: isinstance(value, str) and bool(SLUG_RE.match(value)),
         "slug {value!r} must be lower-case letters, digits and hyphens", required=True),
    Rule("version", whole_number(1), "version must be a whole number of at least 1", required=True),
    _texts_table("title"),
    _texts_table("summary"),
    Rule("audience", lambda value: value in AUDIENCES,
         f"unknown audience {{value!r}} (expected one of: {', '.join(AUDIENCES)})", required=True),
    Rule("topics", is_text_list, "topics must be a non-empty list of topic names", required=True,
         more=_unknown_topics, keep=lambda topics: [t for t in topics if t in TOPICS]),
    Rule("estimated_minutes", whole_number(1), "estimated_minutes must be a whole number of at least 1",
         required=True),
    Rule("languages", is_text_list, "languages must be a non-empty list such as [\"en\", \"fr\"]", required=True,
         more=_language_problems, keep=lambda languages: list(dict.fromkeys(x for x in languages if x in COURSE_LANGUAGES))),
    Rule("pass_mark", whole_number(0, 100), "pass_mark must be a percentage from 0 to 100", required=True),
    Rule("induction", is_bool, "induction must be true or false (true: offered first to newly elected members)"),
    Rule("self_enrolment", is_bool, "self_enrolment must be true or false"),
    Rule("published", is_bool, "published must be true or false"),
    Rule("quiz", lambda value: isinstance(value, dict),
         "quiz must be a table of settings: [quiz] review = \"...\", max_attempts = ..., minutes_between_attempts = ..."),
)
COURSE_KEYS = {rule.key for rule in COURSE_RULES}
TABLES = ("title", "summary", "quiz")

MAX_ATTEMPTS = 100
MAX_WAIT_MINUTES = 365 * 24 * 60
REVIEWS = tuple(review.value for review in QuizReview)
# The [quiz] table; every key is optional, and the defaults (QuizSettings) never show answers before a pass.
QUIZ_SETTING_RULES = (
    Rule("review", lambda value: value in REVIEWS,
         f"unknown review {{value!r}} in [quiz] (expected one of: {', '.join(REVIEWS)})",
         keep=QuizReview),
    Rule("max_attempts", whole_number(1, MAX_ATTEMPTS),
         f"max_attempts in [quiz] must be a whole number from 1 to {MAX_ATTEMPTS} (leave it out for no limit)"),
    Rule("minutes_between_attempts", whole_number(0, MAX_WAIT_MINUTES),
         f"minutes_between_attempts in [quiz] must be a whole number of minutes from 0 to {MAX_WAIT_MINUTES} (a year)"),
)
QUIZ_SETTING_KEYS = {rule.key for rule in QUIZ_SETTING_RULES}


def read_course_toml(course: CourseSource, path: Path, data: dict, problems: list[Problem]) -> None:
    checked = check_fields(data, COURSE_RULES, missing="missing key {key!r}",
                           unknown=f"unknown key {{key!r}} (expected one of: {', '.join(sorted(COURSE_KEYS))})")
    # A missing key is reported on the first line, whatever a nested table may hold under that name.
    problems += [Problem(path, line_of_key(path, key) if key in data else 1, message)
                 for key, message in checked.problems]
    for key, value in checked.values.items():
        if key not in TABLES:
            setattr(course, key, value)
    for key in ("title", "summary"):
        if key in checked.values:
            setattr(course, key, _read_texts(key, checked.values[key], course.languages, path, problems))
    if "quiz" in checked.values:
        course.quiz_settings = _read_quiz_settings(checked.values["quiz"], path, problems)


def _read_quiz_settings(value: dict, path: Path, problems: list[Problem]) -> QuizSettings:
    """The [quiz] table: what learners see after an attempt, and how often they may try."""
    checked = check_fields(value, QUIZ_SETTING_RULES, unknown=(
        f"unknown key {{key!r}} in [quiz] (expected one of: {', '.join(sorted(QUIZ_SETTING_KEYS))})"))
    problems += [Problem(path, line_of_key(path, key, "quiz"), message) for key, message in checked.problems]
    return QuizSettings(**checked.values)


def _read_texts(key: str, value: dict, languages: list[str], path: Path, problems: list[Problem]) -> dict[str, str]:
    """A [title] or [summary] table: a non-empty text for each of the course's languages."""
    texts = {}
    for language, text in value.items():
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(path, line_of_key(path, language, key), f"{key} in {language!r} must be a non-empty text"))
        elif language not in languages:
            problems.append(Problem(path, line_of_key(path, language, key),
                                    f"{key} in {language!r}, which is not one of the course's languages"))
        else:
            texts[language] = text.strip()
    for language in languages:
        if language not in value:
            problems.append(Problem(path, line_of_key(path, key, key), f"missing translation: no {key} in {language!r}"))
    return texts


def check_induction(course: CourseSource, path: Path, problems: list[Problem]) -> None:
    """An induction course is offered to newly elected members, so it must be open to members."""
    if course.induction and course.audience == "staff":
        problems.append(Problem(path, line_of_key(path, "induction"),
                                "induction = true needs audience \"mps\" or \"both\": it is offered to newly elected members"))
