"""A participant's answers: every check first, then the response, its answers and the receipt, at once.

Anonymous questionnaires keep no person on the response and only the day it came; the receipt
records that the person answered, never which response is theirs. The receipt's `answered` flag
is switched by a guarded UPDATE (or inserted, unique per person) in the same transaction as the
response, so two submissions at once save one response.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from elearn.errors import UserError
from elearn.evaluation.models import (
    ActivityQuestionnaire,
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseReceipt,
)
from elearn.evaluation.questionnaires import CHOICE_KINDS
from elearn.extensions import db
from elearn.people.affiliations import side_on, timeline
from elearn.people.models import Person, PersonKind

MAX_ANSWER_TEXT = 5000


class ResponseError(UserError):
    pass


@dataclass(frozen=True)
class AnswerInput:
    question_id: int
    session_id: int | None = None
    rating: int | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)
    text: str = ""

    @property
    def empty(self) -> bool:
        return self.rating is None and not self.choices and not self.text.strip()


def field_name(question_id: int, session_id: int | None = None) -> str:
    return f"q{question_id}" + (f"-s{session_id}" if session_id else "")


def has_answered(attached: ActivityQuestionnaire, person_id: int) -> bool:
    return bool(db.session.scalar(select(ResponseReceipt.answered).where(
        ResponseReceipt.activity_questionnaire_id == attached.id, ResponseReceipt.person_id == person_id)))


def check_window(attached: ActivityQuestionnaire, now: datetime) -> None:
    if now < attached.opens_at:
        raise ResponseError(_("The questionnaire opens when the activity's last session ends."))
    if now >= attached.closes_at:
        raise ResponseError(_("The questionnaire is closed: answers are no longer taken."))


def _check_value(question: Question, answer: AnswerInput) -> None:
    name = field_name(question.id, answer.session_id)
    if question.kind in (QuestionKind.RATING, QuestionKind.SESSION_RATING):
        if answer.choices or answer.text or answer.rating is None or not 1 <= answer.rating <= question.scale_points:
            raise ResponseError(_("Choose a point of the scale, from 1 to %(n)d.", n=question.scale_points), name)
    elif question.kind in CHOICE_KINDS:
        keys = {option["key"] for option in question.options or []}
        picked = answer.choices
        if answer.rating is not None or answer.text or len(set(picked)) != len(picked) \
                or not set(picked) <= keys or (question.kind == QuestionKind.SINGLE and len(picked) != 1):
            raise ResponseError(_("Choose among the options given."), name)
    elif answer.rating is not None or answer.choices or len(answer.text) > MAX_ANSWER_TEXT:
        raise ResponseError(_("Write at most %(n)d characters.", n=MAX_ANSWER_TEXT), name)


def check_answers(attached: ActivityQuestionnaire, answers: list[AnswerInput]) -> list[AnswerInput]:
    """The answers worth keeping (empty optional ones left out); refuses the first that is wrong."""
    questions = {q.id: q for q in attached.questionnaire.questions}
    sessions = {s.id for s in attached.activity.sessions}
    given: dict[tuple[int, int | None], AnswerInput] = {}
    for answer in answers:
        question = questions.get(answer.question_id)
        if question is None:
            raise ResponseError(_("That question is not part of this questionnaire."))
        per_session = question.kind == QuestionKind.SESSION_RATING
        if per_session != (answer.session_id is not None) or (per_session and answer.session_id not in sessions):
            raise ResponseError(_("That session is not part of this activity."), field_name(question.id))
        if (answer.question_id, answer.session_id) in given:
            raise ResponseError(_("A question is answered once."), field_name(question.id, answer.session_id))
        if not answer.empty:
            _check_value(question, answer)
            given[(answer.question_id, answer.session_id)] = answer
    for question in questions.values():
        if not question.required:
            continue
        slots = [(question.id, s) for s in sorted(sessions)] if question.kind == QuestionKind.SESSION_RATING \
            else [(question.id, None)]
        for slot in slots:
            if slot not in given:
                raise ResponseError(_("This question needs an answer."), field_name(*slot))
    return list(given.values())


def _profile(person: Person, attached: ActivityQuestionnaire) -> dict:
    """Who answered as the breakdowns need it, on the activity's (first) day."""
    day = (attached.activity.starts_at or attached.opens_at).date()
    side = side_on(timeline(person.id), day) if person.kind == PersonKind.MP else None
    return dict(parliament_id=person.parliament_id, kind=person.kind, gender=person.gender, political_side=side)


def _claim_receipt(attached: ActivityQuestionnaire, person: Person) -> None:
    claimed = db.session.execute(update(ResponseReceipt).where(
        ResponseReceipt.activity_questionnaire_id == attached.id, ResponseReceipt.person_id == person.id,
        ResponseReceipt.answered.is_(False)).values(answered=True))
    if claimed.rowcount == 1:
        return
    if has_answered(attached, person.id):
        raise ResponseError(_("You have already answered this questionnaire."))
    db.session.add(ResponseReceipt(activity_questionnaire_id=attached.id, person_id=person.id, answered=True))
    db.session.flush()


def submit(attached: ActivityQuestionnaire, person: Person, answers: list[AnswerInput], now: datetime) -> Response:
    """Check everything, then save the response and mark the receipt answered in one transaction."""
    check_window(attached, now)
    if has_answered(attached, person.id):
        raise ResponseError(_("You have already answered this questionnaire."))
    kept = check_answers(attached, answers)
    response = Response(activity_questionnaire_id=attached.id, submitted_on=now.date(),
                        person_id=None if attached.questionnaire.anonymous else person.id,
                        **_profile(person, attached))
    response.answers = [Answer(question_id=a.question_id, session_id=a.session_id, rating=a.rating,
                               choices=list(a.choices), text=a.text if a.text.strip() else "") for a in kept]
    try:
        _claim_receipt(attached, person)
        db.session.add(response)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ResponseError(_("You have already answered this questionnaire.")) from None
    except ResponseError:
        db.session.rollback()
        raise
    return response

