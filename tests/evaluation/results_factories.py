"""Rows for the results tests, made directly (the questionnaire editor and answering are another part's)."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from elearn.database import utcnow
from elearn.evaluation.models import (
    ActivityQuestionnaire,
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseReceipt,
)
from elearn.extensions import db
from elearn.people.models import PersonKind
from elearn.scheduling.models import Attendance, AttendanceStatus, Registration, RegistrationState

_counter = itertools.count(1)
OPTIONS = [{"key": "a", "label": {"en": "Plenary", "fr": "Plénière"}},
           {"key": "b", "label": {"en": "Workshop", "fr": "Atelier"}},
           {"key": "c", "label": {"en": "Visit", "fr": "Visite"}}]


def make_questionnaire(**overrides) -> Questionnaire:
    """Five questions: a 1..5 rating, one choice, per-session ratings, free text, several choices."""
    n = next(_counter)
    questionnaire = Questionnaire(slug=f"questionnaire-{n}", title={"en": f"Questionnaire {n}"}, **overrides)
    questionnaire.questions = [
        Question(position=1, kind=QuestionKind.RATING, prompt={"en": "Overall, how useful was it?"}, scale_points=5,
                 scale_labels={"en": ["Not at all", "Little", "Somewhat", "Much", "Very much"]}),
        Question(position=2, kind=QuestionKind.SINGLE, prompt={"en": "Which part helped most?"}, options=OPTIONS),
        Question(position=3, kind=QuestionKind.SESSION_RATING, prompt={"en": "Rate each session"}, scale_points=5),
        Question(position=4, kind=QuestionKind.TEXT, prompt={"en": "Anything else?"}, required=False),
        Question(position=5, kind=QuestionKind.MULTIPLE, prompt={"en": "What will you use?"}, options=OPTIONS,
                 required=False),
    ]
    db.session.add(questionnaire)
    db.session.commit()
    return questionnaire


def attach(activity, questionnaire) -> ActivityQuestionnaire:
    now = utcnow()
    link = ActivityQuestionnaire(activity=activity, questionnaire=questionnaire, opens_at=now - timedelta(days=2),
                                 closes_at=now + timedelta(days=12), invitations_sent_at=now - timedelta(days=2))
    db.session.add(link)
    db.session.commit()
    return link


def question(questionnaire, kind: QuestionKind) -> Question:
    return next(q for q in questionnaire.questions if q.kind == kind)


def respond(link: ActivityQuestionnaire, *, rating: int | None = None, choice: str | None = None,
            sessions: dict | None = None, text: str = "", several: list[str] | None = None,
            parliament=None, gender=None, kind=PersonKind.STAFF, side=None, commit: bool = True) -> Response:
    """One response with the answers given; `sessions` maps a session to its rating."""
    questionnaire = link.questionnaire
    response = Response(activity_questionnaire=link, submitted_on=date.today(),
                        parliament_id=parliament.id if parliament else None, kind=kind, gender=gender,
                        political_side=side)
    if rating is not None:
        response.answers.append(Answer(question=question(questionnaire, QuestionKind.RATING), rating=rating))
    if choice is not None:
        response.answers.append(Answer(question=question(questionnaire, QuestionKind.SINGLE), choices=[choice]))
    for session, value in (sessions or {}).items():
        response.answers.append(Answer(question=question(questionnaire, QuestionKind.SESSION_RATING),
                                       session_id=session.id, rating=value))
    if text:
        response.answers.append(Answer(question=question(questionnaire, QuestionKind.TEXT), text=text))
    if several is not None:
        response.answers.append(Answer(question=question(questionnaire, QuestionKind.MULTIPLE), choices=several))
    db.session.add(response)
    if commit:
        db.session.commit()
    return response


def receipt(link: ActivityQuestionnaire, person, *, answered: bool = False) -> ResponseReceipt:
    row = ResponseReceipt(activity_questionnaire_id=link.id, person_id=person.id, invited=True, answered=answered)
    db.session.add(row)
    db.session.commit()
    return row


def attend(activity, person, present: bool = True) -> Registration:
    """A confirmed registration, present (or absent) at every session."""
    registration = Registration(activity_id=activity.id, person_id=person.id, state=RegistrationState.CONFIRMED)
    registration.attendance = [Attendance(session_id=s.id, status=AttendanceStatus.PRESENT if present
                                          else AttendanceStatus.ABSENT) for s in activity.sessions]
    db.session.add(registration)
    db.session.commit()
    return registration
