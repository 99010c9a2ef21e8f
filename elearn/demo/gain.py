"""Demo learning gain: the committee-hearings workshop used the committee-work course's quiz before and after.

Needs the courses imported (`--no-courses` on a fresh site: no quiz, nothing to do). Scores are written
directly, as the test's windows closed long ago; they are scores the quiz can give (right answers out of
its questions), most participants improving by one to three answers.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.evaluation import gain
from elearn.evaluation.gain_models import LearningTest, TestPhase, TestScore
from elearn.extensions import db
from elearn.learning.lookups import active_questions, percent
from elearn.learning.models import Course, Quiz
from elearn.scheduling.models import Activity, Registration, RegistrationState

ACTIVITY_TITLE = "Workshop on committee hearings"
COURSE_SLUG = "committee-work"


def _quiz() -> Quiz | None:
    return db.session.scalar(select(Quiz).join(Course, Course.id == Quiz.course_id)
                             .where(Course.slug == COURSE_SLUG))


def seed_gain() -> int:
    """Set the workshop's test and record its scores once; returns the number of scores added."""
    activity = db.session.scalar(select(Activity).where(Activity.title == ACTIVITY_TITLE))
    quiz = _quiz()
    if activity is None or quiz is None or activity.starts_at is None:
        return 0
    if db.session.scalar(select(LearningTest.id).where(LearningTest.activity_id == activity.id)) is not None:
        return 0
    questions = len(active_questions(quiz.course))
    if not questions:
        return 0
    test = gain.set_test(activity, quiz.id, None)
    people = db.session.scalars(
        select(Registration.person_id).where(Registration.activity_id == activity.id,
                                             Registration.state == RegistrationState.CONFIRMED)
        .order_by(Registration.person_id)).all()
    added = 0
    for index, person_id in enumerate(people):
        if index % 9 == 8:
            continue  # did not take either test
        before = (index * 3) % max(questions - 1, 1)
        db.session.add(TestScore(learning_test_id=test.id, person_id=person_id, phase=TestPhase.PRE,
                                 score=percent(before, questions), taken_at=activity.starts_at - timedelta(days=2)))
        added += 1
        if index % 7 == 6:
            continue  # took the test before, not after
        after = min(questions, before + 1 + index % 3)
        db.session.add(TestScore(learning_test_id=test.id, person_id=person_id, phase=TestPhase.POST,
                                 score=percent(after, questions), taken_at=activity.ends_at + timedelta(days=3)))
        added += 1
    db.session.commit()
    return added
