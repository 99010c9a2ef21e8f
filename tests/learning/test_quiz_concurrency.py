"""Attempts submitted at the same moment cannot go beyond the quiz's limit (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learning.errors import AttemptRefused
from elearn.learning.models import Enrolment, QuizAttempt
from elearn.learning.quizzes import submit_quiz
from tests.learning.factories import enrol, make_course, right_answers

THREADS = 8
TIMEOUT = 60


def test_eight_submissions_at_once_take_the_one_attempt_allowed_once(app, people):
    course = make_course("ruled-course", lessons=1, questions=2, extra="[quiz]\nmax_attempts = 1")
    enrolment_id = enrol(people["learner"], course).id
    form = right_answers(course)
    db.session.commit()  # nothing of ours may hold a lock while the threads run
    start, outcomes = threading.Barrier(THREADS), []

    def submit():
        with app.app_context():  # its own session and connection, as a worker's request has
            try:
                enrolment = db.session.get(Enrolment, enrolment_id)
                start.wait(timeout=TIMEOUT)
                submit_quiz(enrolment, form)
                outcomes.append("recorded")
            except AttemptRefused:
                outcomes.append("refused")
            except Exception as error:  # reported by the assertion below
                outcomes.append(f"{type(error).__name__}: {error}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert sorted(outcomes) == ["recorded"] + ["refused"] * (THREADS - 1)
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1
