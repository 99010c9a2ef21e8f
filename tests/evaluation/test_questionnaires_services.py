"""Questionnaire services without HTTP: templates, attaching, answers and their refusals, anonymity."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from elearn.evaluation import attaching, responding
from elearn.evaluation import questionnaires as service
from elearn.evaluation.models import Answer, QuestionKind, Questionnaire, Response, ResponseReceipt
from elearn.evaluation.questionnaires import QuestionInput, QuestionnaireError, QuestionnaireInput
from elearn.evaluation.responding import AnswerInput, ResponseError
from elearn.extensions import db
from elearn.scheduling.models import Modality
from tests.evaluation.questionnaire_fixtures import (
    activity_with_attendees,
    after_end,
    every_kind,
    full_answers,
    learners,
)
from tests.scheduling.factories import make_activity


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_texts_fall_back_to_english_then_any_language(app):
    assert service.text_in({"en": "Hello", "fr": "Bonjour"}, "fr") == "Bonjour"
    assert service.text_in({"en": "Hello"}, "fr") == "Hello"
    assert service.text_in({"es": "Hola"}, "fr") == "Hola"
    assert service.labels_in({"es": ["a", "b"]}, "fr") == ["a", "b"]
    assert service.labels_in({"en": ["a", "b"], "fr": ["x", "y"]}, "fr") == ["x", "y"]


def test_questions_of_every_kind_are_saved_with_their_labels_and_options(app):
    questionnaire = every_kind()
    kinds = [q.kind for q in questionnaire.questions]
    assert kinds == [QuestionKind.RATING, QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TEXT,
                     QuestionKind.SESSION_RATING]
    single = questionnaire.questions[1]
    assert service.option_labels(single, "fr") == [("o1", "Trop lent"), ("o2", "Juste"), ("o3", "Trop rapide")]
    assert service.option_labels(questionnaire.questions[2], "fr")[0] == ("o1", "Budget")  # falls back to English
    assert questionnaire.questions[0].scale_labels["fr"][4] == "Excellent"
    assert questionnaire.anonymous and questionnaire.slug == "evaluation"


@pytest.mark.parametrize("data, field", [
    (QuestionInput(QuestionKind.RATING, {"en": "x"}, scale_points=12), "scale_points"),
    (QuestionInput(QuestionKind.RATING, {"en": "x"}, scale_points=1), "scale_points"),
    (QuestionInput(QuestionKind.RATING, {"en": "x"}, scale_points=3, scale_labels={"en": ["a", "b"]}), "labels_en"),
    (QuestionInput(QuestionKind.SINGLE, {"en": "x"}, option_labels={"en": ["only one"]}), "options_en"),
    (QuestionInput(QuestionKind.MULTIPLE, {"en": "x"}, option_labels={"en": ["a", "b"], "fr": ["a"]}), "options_en"),
    (QuestionInput(QuestionKind.TEXT, {"en": "  "}), "prompt_en"),
])
def test_bad_questions_are_refused(app, data, field):
    questionnaire = service.create_questionnaire(QuestionnaireInput(title={"en": "Q"}))
    with pytest.raises(QuestionnaireError) as refused:
        service.add_question(questionnaire, data)
    assert refused.value.field == field
    assert not questionnaire.questions


def test_a_title_is_needed(app):
    with pytest.raises(QuestionnaireError):
        service.create_questionnaire(QuestionnaireInput(title={"en": " ", "fr": ""}))


def test_one_default_per_modality_and_retired_ones_are_not_defaults(app):
    first = service.create_questionnaire(QuestionnaireInput(title={"en": "A"}, default_for_modalities=("seminar",)))
    second = service.create_questionnaire(QuestionnaireInput(title={"en": "B"},
                                                             default_for_modalities=("seminar", "briefing")))
    assert first.default_for_modalities == [] and attaching.default_for(Modality.SEMINAR) == second
    service.retire(second)
    assert attaching.default_for(Modality.BRIEFING) is None and second.retired_at is not None


def test_an_answered_questionnaire_keeps_its_shape_but_its_wording_may_change(app):
    questionnaire = every_kind()
    people = learners(1)
    activity = activity_with_attendees(questionnaire, people)
    attached = attaching.attachment(activity.id)
    responding.submit(attached, people[0], full_answers(questionnaire, activity), after_end(activity))
    rating = questionnaire.questions[0]
    service.update_question(rating, QuestionInput(QuestionKind.RATING, {"en": "Overall, new wording"},
                                                  scale_points=5))
    assert rating.prompt == {"en": "Overall, new wording"}
    for changed in (QuestionInput(QuestionKind.RATING, {"en": "x"}, scale_points=7),
                    QuestionInput(QuestionKind.TEXT, {"en": "x"})):
        with pytest.raises(QuestionnaireError):
            service.update_question(rating, changed)
    with pytest.raises(QuestionnaireError):
        service.update_question(questionnaire.questions[1], QuestionInput(
            QuestionKind.SINGLE, {"en": "Pace"}, option_labels={"en": ["Slow", "Fast"]}))
    with pytest.raises(QuestionnaireError):
        service.remove_question(rating)
    with pytest.raises(QuestionnaireError):
        service.update_questionnaire(questionnaire, QuestionnaireInput(title={"en": "E"}, anonymous=False))
    copy = service.copy_questionnaire(questionnaire)
    assert len(copy.questions) == 5 and copy.default_for_modalities == []
    service.remove_question(copy.questions[0])
    assert [q.position for q in copy.questions] == [1, 2, 3, 4]


def test_attach_the_default_or_a_choice_and_the_window_follows_the_last_session(app):
    questionnaire = every_kind()
    other = service.create_questionnaire(QuestionnaireInput(title={"en": "Other"}))
    activity = make_activity()
    attached = attaching.attach(activity, None)
    assert attached.questionnaire_id == questionnaire.id
    assert attached.opens_at == activity.ends_at
    assert attached.closes_at == activity.ends_at + timedelta(days=21)
    assert attaching.attach(activity, other.id).questionnaire_id == other.id
    service.retire(other)
    with pytest.raises(attaching.AttachError):
        attaching.attach(activity, other.id)
    webinar = make_activity(modality=Modality.BRIEFING)
    with pytest.raises(attaching.AttachError):
        attaching.attach(webinar, None)


def test_an_anonymous_response_keeps_no_person_and_no_time_and_the_receipt_no_response(app):
    questionnaire = every_kind()
    people = learners(2)
    activity = activity_with_attendees(questionnaire, people)
    attached = attaching.attachment(activity.id)
    response = responding.submit(attached, people[0], full_answers(questionnaire, activity), after_end(activity))
    assert response.person_id is None
    assert type(response.submitted_on).__name__ == "date"
    columns = {c.key for c in inspect(Response).columns}
    assert not {"created_at", "submitted_at", "updated_at"} & columns
    assert not any("response" in c.key for c in inspect(ResponseReceipt).columns)
    receipt = db.session.scalar(select(ResponseReceipt).where(ResponseReceipt.person_id == people[0].id))
    assert receipt.answered
    saved = db.session.scalars(select(Answer).where(Answer.response_id == response.id)).all()
    assert len(saved) == 4 + len(activity.sessions)
    assert next(a for a in saved if a.text).text == "<b>Budget</b> hearings"  # as typed


def test_a_named_response_keeps_the_person(app):
    questionnaire = every_kind(anonymous=False)
    people = learners(1)
    activity = activity_with_attendees(questionnaire, people)
    response = responding.submit(attaching.attachment(activity.id), people[0], full_answers(questionnaire, activity),
                                 after_end(activity))
    assert response.person_id == people[0].id


def _refusal(questionnaire, activity, person, answers, when=None):
    attached = attaching.attachment(activity.id)
    before = (_count(Response), _count(Answer))
    with pytest.raises(ResponseError) as refused:
        responding.submit(attached, person, answers, when or after_end(activity))
    assert (_count(Response), _count(Answer)) == before  # nothing saved
    return refused.value


def test_bad_answers_are_refused_and_nothing_is_saved(app):
    questionnaire = every_kind()
    people = learners(1)
    activity = activity_with_attendees(questionnaire, people)
    other_activity = activity_with_attendees(questionnaire, ())
    foreign = every_kind(modalities=())
    q = {question.kind: question for question in questionnaire.questions}
    good = full_answers(questionnaire, activity)

    def replaced(kind, answer):
        return [a for a in good if a.question_id != q[kind].id] + [answer]

    cases = [
        replaced(QuestionKind.RATING, AnswerInput(q[QuestionKind.RATING].id, rating=6)),
        replaced(QuestionKind.RATING, AnswerInput(q[QuestionKind.RATING].id, rating=0)),
        replaced(QuestionKind.SINGLE, AnswerInput(q[QuestionKind.SINGLE].id, choices=("o9",))),
        replaced(QuestionKind.SINGLE, AnswerInput(q[QuestionKind.SINGLE].id, choices=("o1", "o2"))),
        replaced(QuestionKind.MULTIPLE, AnswerInput(q[QuestionKind.MULTIPLE].id, choices=("o1", "zz"))),
        good + [AnswerInput(foreign.questions[0].id, rating=3)],
        good + [AnswerInput(q[QuestionKind.SESSION_RATING].id, other_activity.sessions[0].id, rating=3)],
        [a for a in good if a.question_id != q[QuestionKind.RATING].id],  # a required answer missing
        [a for a in good if a.session_id != activity.sessions[0].id],  # a session's rating missing
        replaced(QuestionKind.TEXT, AnswerInput(q[QuestionKind.TEXT].id, text="x" * 5001)),
    ]
    for answers in cases:
        _refusal(questionnaire, activity, people[0], answers)
    _refusal(questionnaire, activity, people[0], good, when=activity.ends_at - timedelta(minutes=1))
    _refusal(questionnaire, activity, people[0], good, when=activity.ends_at + timedelta(days=21))
    assert not db.session.scalar(select(ResponseReceipt.answered).where(ResponseReceipt.person_id == people[0].id))


def test_a_second_response_is_refused(app):
    questionnaire = every_kind()
    people = learners(1)
    activity = activity_with_attendees(questionnaire, people)
    responding.submit(attaching.attachment(activity.id), people[0], full_answers(questionnaire, activity),
                      after_end(activity))
    error = _refusal(questionnaire, activity, people[0], full_answers(questionnaire, activity, rating=1))
    assert "already" in str(error)


def test_optional_questions_may_be_left_empty(app):
    questionnaire = every_kind()
    people = learners(1)
    activity = activity_with_attendees(questionnaire, people)
    q = {question.kind: question for question in questionnaire.questions}
    answers = [a for a in full_answers(questionnaire, activity)
               if a.question_id not in (q[QuestionKind.MULTIPLE].id, q[QuestionKind.TEXT].id)]
    answers.append(AnswerInput(q[QuestionKind.TEXT].id, text="   "))
    response = responding.submit(attaching.attachment(activity.id), people[0], answers, after_end(activity))
    assert len(response.answers) == 2 + len(activity.sessions)


def test_the_response_holds_the_profile_for_breakdowns(app):
    questionnaire = every_kind()
    people = learners(1)
    activity = activity_with_attendees(questionnaire, people)
    response = responding.submit(attaching.attachment(activity.id), people[0], full_answers(questionnaire, activity),
                                 after_end(activity))
    assert response.parliament_id == people[0].parliament_id and response.kind == people[0].kind


def test_questionnaires_list_newest_first_and_retired_last(app):
    first = service.create_questionnaire(QuestionnaireInput(title={"en": "First"}))
    second = service.create_questionnaire(QuestionnaireInput(title={"en": "Second"}))
    service.retire(second)
    assert db.session.scalars(service.list_statement()).all()[:2] == [first, second]
    assert db.session.get(Questionnaire, second.id).retired_at is not None
