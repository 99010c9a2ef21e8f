"""Quiz submissions: allowed by the quiz's rules, read from the form, scored on the server, recorded."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from babel.dates import format_skeleton, format_time
from flask_babel import get_locale, get_timezone, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.errors import AttemptRefused, IncompleteSubmission, LearningError, TamperedSubmission
from elearn.learning.lookups import active_questions, percent
from elearn.learning.models import Course, Enrolment, QuestionKind, QuizAnswer, QuizAttempt, QuizQuestion
from elearn.learning.progress import complete_if_done
from elearn.learning.quiz_rules import Allowance, QuizSettings, Review


def quiz_settings(course: Course) -> QuizSettings:
    return course.quiz.settings if course.quiz is not None else QuizSettings()


def allowance(enrolment: Enrolment, now: datetime | None = None) -> Allowance:
    """How many attempts this learner has left, and whether they must wait before the next one."""
    used, last = db.session.execute(
        select(func.count(QuizAttempt.id), func.max(QuizAttempt.submitted_at))
        .where(QuizAttempt.enrolment_id == enrolment.id)).one()
    return Allowance.of(quiz_settings(enrolment.course), used, last, now or utcnow())


def refusal(allowed: Allowance) -> str | None:
    """Why no attempt may start now, for the learner; None when one may."""
    if allowed.left == 0:
        return ngettext("You have used your %(num)d attempt at this quiz: no more attempts are allowed.",
                        "You have used your %(num)d attempts at this quiz: no more attempts are allowed.", allowed.used)
    if allowed.wait_until is not None:
        zone, locale = get_timezone(), get_locale()
        return _("You can take the quiz again from %(time)s on %(day)s (%(zone)s).",
                 time=format_time(allowed.wait_until, "short", tzinfo=zone, locale=locale),
                 day=format_skeleton("yMMMEd", allowed.wait_until, tzinfo=zone, locale=locale), zone=str(zone))
    return None


def review_for(attempt: QuizAttempt) -> Review:
    """What the learner may see of this attempt's answers, under the course's review policy."""
    enrolment = attempt.enrolment
    return Review.of(quiz_settings(enrolment.course).review, has_passed=enrolment.quiz_passed_at is not None)


def read_answers(questions: list[QuizQuestion], form: Mapping) -> dict[int, list[int]]:
    """The chosen option ids per question id, from fields named question-<id>.

    Anything a real form could not send (a question of another quiz, an option
    of another question, two answers to a single-choice question) raises
    TamperedSubmission; an unanswered question raises IncompleteSubmission.
    """
    by_id = {question.id: question for question in questions}
    answers: dict[int, list[int]] = {}
    for name in form.keys():
        if not name.startswith("question-"):
            continue
        raw_id = name.removeprefix("question-")
        if not raw_id.isdigit() or int(raw_id) not in by_id:
            raise TamperedSubmission(f"unknown question {name}")
        question = by_id[int(raw_id)]
        values = form.getlist(name) if hasattr(form, "getlist") else list(form[name])
        option_ids = {option.id for option in question.options}
        chosen: list[int] = []
        for value in values:
            if not str(value).isdigit() or int(value) not in option_ids:
                raise TamperedSubmission(f"unknown option {value!r} for {name}")
            if int(value) not in chosen:
                chosen.append(int(value))
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            raise TamperedSubmission(f"several answers to single-choice {name}")
        if chosen:
            answers[question.id] = chosen
    missing = [question.id for question in questions if question.id not in answers]
    if missing:
        raise IncompleteSubmission(_("Answer every question before submitting."), missing)
    return answers


@dataclass(frozen=True)
class Scoring:
    """How a set of answers scores: right answers, questions, percent, and per question (chosen keys, right)."""

    correct: int
    total: int
    score: int
    verdicts: dict[int, tuple[tuple[str, ...], bool]]


def score_answers(questions: list[QuizQuestion], answers: dict[int, list[int]]) -> Scoring:
    """Score answers read by `read_answers`: a question is right when exactly its right options are chosen.

    Pure (no database, no enrolment): the course quiz and the activities' learning tests score the same way.
    """
    verdicts: dict[int, tuple[tuple[str, ...], bool]] = {}
    for question in questions:
        correct_ids = {option.id for option in question.options if option.is_correct}
        chosen = answers[question.id]
        keys = {option.id: option.key for option in question.options}
        verdicts[question.id] = (tuple(keys[i] for i in chosen), set(chosen) == correct_ids)
    correct = sum(1 for _keys, right in verdicts.values() if right)
    return Scoring(correct=correct, total=len(questions), score=percent(correct, len(questions)), verdicts=verdicts)


def _lock_attempts(enrolment: Enrolment) -> None:
    """Serialise one enrolment's submissions until the transaction ends, then re-read it.

    Two submissions at once must not both take the last attempt. An UPDATE is a
    write on both backends (as in scheduling.seats.lock_seats): PostgreSQL locks
    the row, and on SQLite the transaction's first write takes the database write
    lock (waiting up to busy_timeout); SELECT ... FOR UPDATE would do nothing there.
    """
    db.session.execute(update(Enrolment).where(Enrolment.id == enrolment.id)
                       .values(best_score=Enrolment.best_score).execution_options(synchronize_session=False))
    db.session.refresh(enrolment)  # the best score and pass date another submission may just have written


def submit_quiz(enrolment: Enrolment, form: Mapping, now: datetime | None = None) -> QuizAttempt:
    """Score a submission on the server and record it; a bad or refused submission records nothing."""
    course = enrolment.course
    questions = active_questions(course)
    if not questions:
        raise LearningError(_("This course has no quiz."))
    answers = read_answers(questions, form)  # before the lock: a form sent back with errors holds nothing
    now = now or utcnow()
    _lock_attempts(enrolment)
    refused = refusal(allowance(enrolment, now))
    if refused is not None:
        db.session.rollback()
        raise AttemptRefused(refused)
    scored = score_answers(questions, answers)
    attempt = QuizAttempt(enrolment=enrolment, quiz_id=questions[0].quiz_id, total=scored.total,
                          correct=scored.correct, score=scored.score, submitted_at=now)
    for question in questions:
        chosen, is_correct = scored.verdicts[question.id]
        attempt.answers.append(QuizAnswer(question=question, chosen=list(chosen), is_correct=is_correct))
    attempt.passed = attempt.score >= course.pass_mark
    db.session.add(attempt)
    if enrolment.best_score is None or attempt.score > enrolment.best_score:
        enrolment.best_score = attempt.score
    if attempt.passed and enrolment.quiz_passed_at is None:
        enrolment.quiz_passed_at = now
    db.session.flush()
    complete_if_done(enrolment)
    db.session.commit()
    return attempt
