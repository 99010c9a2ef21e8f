"""Quiz submissions: read from the form, scored on the server, recorded."""
from __future__ import annotations

from typing import Mapping

from flask_babel import gettext as _

from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.errors import IncompleteSubmission, LearningError, TamperedSubmission
from elearn.learning.lookups import active_questions, percent
from elearn.learning.models import Enrolment, QuestionKind, QuizAnswer, QuizAttempt, QuizQuestion
from elearn.learning.progress import complete_if_done


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


def submit_quiz(enrolment: Enrolment, form: Mapping) -> QuizAttempt:
    """Score a submission on the server and record it; a bad submission records nothing."""
    course = enrolment.course
    questions = active_questions(course)
    if not questions:
        raise LearningError(_("This course has no quiz."))
    answers = read_answers(questions, form)
    attempt = QuizAttempt(enrolment=enrolment, quiz_id=questions[0].quiz_id, total=len(questions), correct=0)
    for question in questions:
        correct_ids = {option.id for option in question.options if option.is_correct}
        chosen = answers[question.id]
        is_correct = set(chosen) == correct_ids
        keys = {option.id: option.key for option in question.options}
        attempt.answers.append(QuizAnswer(question=question, chosen=[keys[i] for i in chosen], is_correct=is_correct))
        attempt.correct += int(is_correct)
    attempt.score = percent(attempt.correct, attempt.total)
    attempt.passed = attempt.score >= course.pass_mark
    db.session.add(attempt)
    if enrolment.best_score is None or attempt.score > enrolment.best_score:
        enrolment.best_score = attempt.score
    if attempt.passed and enrolment.quiz_passed_at is None:
        enrolment.quiz_passed_at = utcnow()
    db.session.flush()
    complete_if_done(enrolment)
    db.session.commit()
    return attempt
