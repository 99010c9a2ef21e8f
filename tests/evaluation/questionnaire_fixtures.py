"""Shared data for the questionnaire tests: a questionnaire of every kind, an activity with attendees."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.evaluation import attaching
from elearn.evaluation import questionnaires as service
from elearn.evaluation.models import QuestionKind
from elearn.evaluation.questionnaires import QuestionInput, QuestionnaireInput
from elearn.extensions import db
from elearn.scheduling import services as scheduling
from elearn.scheduling.models import Attendance, AttendanceStatus, Registration
from tests import factories
from tests.scheduling.factories import make_activity, one_session


def every_kind(anonymous: bool = True, modalities=("seminar",)):
    questionnaire = service.create_questionnaire(QuestionnaireInput(
        title={"en": "Evaluation", "fr": "Évaluation"}, intro={"en": "Tell us."}, anonymous=anonymous,
        default_for_modalities=tuple(modalities)))
    add = service.add_question
    add(questionnaire, QuestionInput(QuestionKind.RATING, {"en": "Overall", "fr": "Dans l'ensemble"}, scale_points=5,
                                     scale_labels={"en": ["Poor", "Fair", "Good", "Very good", "Excellent"],
                                                   "fr": ["Faible", "Moyen", "Bien", "Très bien", "Excellent"]}))
    add(questionnaire, QuestionInput(QuestionKind.SINGLE, {"en": "Pace"},
                                     option_labels={"en": ["Too slow", "Right", "Too fast"],
                                                    "fr": ["Trop lent", "Juste", "Trop rapide"]}))
    add(questionnaire, QuestionInput(QuestionKind.MULTIPLE, {"en": "Next topics"}, required=False,
                                     option_labels={"en": ["Budget", "Oversight", "Ethics"]}))
    add(questionnaire, QuestionInput(QuestionKind.TEXT, {"en": "What will you apply?"}, required=False))
    add(questionnaire, QuestionInput(QuestionKind.SESSION_RATING, {"en": "Each session"}, scale_points=4))
    return questionnaire


def attend(activity, person, present: bool = True):
    scheduling.register(activity.id, person)
    registration = db.session.scalar(select(Registration).where(Registration.activity_id == activity.id,
                                                                Registration.person_id == person.id))
    for session in activity.sessions:
        db.session.add(Attendance(registration_id=registration.id, session_id=session.id,
                                  status=AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT))
    db.session.commit()
    return registration


def activity_with_attendees(questionnaire, people=(), trainers=(), days=2):
    """An activity of `days` sessions, 5 days ahead; `people` attend it; the questionnaire is attached."""
    activity = make_activity(sessions=one_session(days_ahead=5) + one_session(days_ahead=6)[:days - 1],
                             trainer_ids=tuple(t.id for t in trainers))
    for person in people:
        attend(activity, person)
    attaching.attach(activity, questionnaire.id)
    return activity


def after_end(activity, days: float = 1):
    return activity.ends_at + timedelta(days=days)


def learners(n: int, **overrides):
    parliament = factories.make_parliament()
    return [factories.make_person(parliament=parliament, **overrides) for _ in range(n)]


def full_answers(questionnaire, activity, rating=4):
    """Answers to every question (per-session ratings for every session)."""
    from elearn.evaluation.responding import AnswerInput

    q = {question.kind: question for question in questionnaire.questions}
    answers = [AnswerInput(q[QuestionKind.RATING].id, rating=rating),
               AnswerInput(q[QuestionKind.SINGLE].id, choices=("o2",)),
               AnswerInput(q[QuestionKind.MULTIPLE].id, choices=("o1", "o3")),
               AnswerInput(q[QuestionKind.TEXT].id, text="<b>Budget</b> hearings")]
    answers += [AnswerInput(q[QuestionKind.SESSION_RATING].id, session.id, rating=3) for session in activity.sessions]
    return answers
