"""Shared data for the learning-gain tests: an activity with a course quiz, confirmed participants, moved in time."""
from __future__ import annotations

from datetime import timedelta

from werkzeug.datastructures import MultiDict

from elearn.database import utcnow
from elearn.evaluation import gain
from elearn.evaluation.gain_models import TestPhase
from elearn.extensions import db
from elearn.learning.lookups import active_questions
from elearn.scheduling.models import Registration, RegistrationState
from tests.factories import make_person
from tests.learning.factories import make_course, right_answers
from tests.scheduling.factories import make_activity


def move(activity, days: float) -> None:
    """Move every session (and the activity's span) by `days`: negative puts it in the past."""
    shift = timedelta(days=days)
    for session in activity.sessions:
        session.starts_at += shift
        session.ends_at += shift
    activity.starts_at += shift
    activity.ends_at += shift
    db.session.commit()


def start_in(activity, delta: timedelta) -> None:
    """Move the activity so that its first session starts `delta` from now."""
    move(activity, (utcnow() + delta - activity.starts_at).total_seconds() / 86400)


def end_in(activity, delta: timedelta) -> None:
    """Move the activity so that its last session ends `delta` from now (negative: ended that long ago)."""
    move(activity, (utcnow() + delta - activity.ends_at).total_seconds() / 86400)


def confirm(activity, person, state=RegistrationState.CONFIRMED) -> Registration:
    position = 1 if state == RegistrationState.WAITLISTED else None
    registration = Registration(activity=activity, person=person, state=state, waitlist_position=position)
    db.session.add(registration)
    db.session.commit()
    return registration


def answers(course, right: int) -> MultiDict:
    """The first `right` questions answered right, the others wrong (a wrong option chosen)."""
    form = MultiDict()
    for n, question in enumerate(active_questions(course)):
        correct = [o for o in question.options if o.is_correct]
        wrong = [o for o in question.options if not o.is_correct]
        for option in (correct if n < right else wrong[:1]):
            form.add(f"question-{question.id}", str(option.id))
    return form


def course_activity(trainer=None, slug: str = "gain-course", questions: int = 4, **overrides):
    """An activity in 20 days whose course has a quiz of `questions` questions, and the test set to it."""
    course = make_course(slug, questions=questions, lessons=1)
    activity = make_activity(course_id=course.id, trainer_ids=(trainer.id,) if trainer else (), **overrides)
    gain.set_test(activity, gain.default_quiz(activity).id, None)
    return activity, course


def scored(activity, person, pre: int | None, post: int | None):
    """Record scores directly (the windows are tested elsewhere)."""
    from elearn.evaluation.gain_models import TestScore
    test = gain.test_of(activity.id)
    for phase, value in ((TestPhase.PRE, pre), (TestPhase.POST, post)):
        if value is not None:
            db.session.add(TestScore(learning_test_id=test.id, person_id=person.id, phase=phase, score=value))
    db.session.commit()


def participants(activity, count: int, prefix: str = "p"):
    people = [make_person(email=f"{prefix}{n}-{activity.id}@example.org", full_name=f"Participant {n:03d}")
              for n in range(count)]
    for person in people:
        confirm(activity, person)
    return people


__all__ = ["answers", "confirm", "course_activity", "end_in", "move", "participants", "right_answers", "scored",
           "start_in"]
