"""What a quiz allows: what a learner sees after an attempt, how many attempts, how long between them.

Plain values and rules, no database: the course checker reads the settings with
them, the import stores them on the quiz, and quizzes.py applies them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from elearn.enums import LabelledEnum


class QuizReview(LabelledEnum):
    """What the results page of an attempt shows besides the score (as Moodle's quiz review options)."""

    SCORE_ONLY = "score-only", _l("After each attempt you see your score only.")
    RIGHT_OR_WRONG = "right-or-wrong", _l(
        "After each attempt you see which of your answers were right, never the right answers.")
    ANSWERS_ONCE_PASSED = "answers-once-passed", _l(
        "After each attempt you see which of your answers were right; "
        "the right answers and their explanations are shown once you pass.")


# Safe without any setting: the right answers stay hidden until the learner has passed.
DEFAULT_REVIEW = QuizReview.ANSWERS_ONCE_PASSED


@dataclass(frozen=True)
class QuizSettings:
    review: QuizReview = DEFAULT_REVIEW
    max_attempts: int | None = None  # None: no limit
    minutes_between_attempts: int = 0


@dataclass(frozen=True)
class Review:
    """What one learner may see of their attempts."""

    verdicts: bool  # whether each answer was right, and which options they chose
    answers: bool  # the right options and the explanations

    @classmethod
    def of(cls, policy: QuizReview, has_passed: bool) -> Review:
        if policy == QuizReview.SCORE_ONLY:
            return cls(verdicts=False, answers=False)
        return cls(verdicts=True, answers=policy == QuizReview.ANSWERS_ONCE_PASSED and has_passed)


@dataclass(frozen=True)
class Allowance:
    """Where a learner stands against a quiz's attempt limit and waiting time."""

    used: int
    left: int | None  # None: no limit
    wait_until: datetime | None  # while the wait after the last attempt runs (UTC)

    @property
    def may_attempt(self) -> bool:
        return self.left != 0 and self.wait_until is None

    @classmethod
    def of(cls, settings: QuizSettings, used: int, last_attempt_at: datetime | None, now: datetime) -> Allowance:
        left = None if settings.max_attempts is None else max(settings.max_attempts - used, 0)
        wait_until = None
        if left != 0 and last_attempt_at is not None and settings.minutes_between_attempts:
            ends = last_attempt_at + timedelta(minutes=settings.minutes_between_attempts)
            wait_until = ends if ends > now else None
        return cls(used=used, left=left, wait_until=wait_until)


def describe_wait(minutes: int) -> str:
    """A wait as a learner reads it: whole days or hours when it is one, else minutes."""
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(num)d day", "%(num)d days", days)
    if minutes % 60 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", minutes // 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)
