"""The questionnaire pages: who may reach them, what they show, and answering through the form."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from elearn.access import Role
from elearn.evaluation.models import Question, QuestionKind, Questionnaire, Response
from elearn.extensions import db
from tests import factories
from tests.evaluation.questionnaire_fixtures import activity_with_attendees, attend, every_kind
from tests.helpers import frozen_clock, post_form, sign_in, text

HOSTILE = "<script>alert(1)</script>"


def _client(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, factories.PASSWORD).status_code == 302
    return client


def test_learners_and_focal_points_may_not_manage_questionnaires(app, login_as, people):
    questionnaire = every_kind()
    for role in ("learner", "focal_point"):
        client = login_as(role)
        assert client.get("/manage/questionnaires").status_code == 403
        assert client.get(f"/manage/questionnaires/{questionnaire.id}").status_code == 403
        assert post_form(client, f"/manage/questionnaires/{questionnaire.id}/retire").status_code == 403
        assert post_form(client, "/manage/questionnaires/new", {"title_en": "x"}).status_code == 403
    assert db.session.get(Questionnaire, questionnaire.id).retired_at is None


def test_a_trainer_creates_a_questionnaire_and_its_questions(app, login_as):
    client = login_as("trainer")
    response = post_form(client, "/manage/questionnaires/new",
                         {"title_en": "After the seminar " + HOSTILE, "title_fr": "Après le séminaire",
                          "anonymous": "y", "default_for_modalities": ["seminar", "briefing"]})
    assert response.status_code == 302
    questionnaire = db.session.scalar(select(Questionnaire))
    assert questionnaire.default_for_modalities == ["seminar", "briefing"]
    base = f"/manage/questionnaires/{questionnaire.id}"
    response = post_form(client, f"{base}/questions/new", {
        "kind": "rating", "required": "y", "scale_points": "3", "prompt_en": "Useful? " + HOSTILE,
        "labels_en": "No\nSomewhat\nVery", "labels_fr": "Non\nUn peu\nTrès"})
    assert response.status_code == 302
    response = post_form(client, f"{base}/questions/new", {"kind": "single", "prompt_en": "Pace",
                                                           "options_en": "Slow\nRight"})
    assert response.status_code == 302
    refused = post_form(client, f"{base}/questions/new", {"kind": "rating", "scale_points": "3", "prompt_en": "x",
                                                          "labels_en": "a\nb"})
    assert refused.status_code == 200 and "one label per point" in text(refused)
    page = text(client.get(base))
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Very" in page and "Slow" in page
    assert [q.kind for q in questionnaire.questions] == [QuestionKind.RATING, QuestionKind.SINGLE]
    listing = text(client.get("/manage/questionnaires"))
    assert "After the seminar" in listing and HOSTILE not in listing


def test_a_question_is_reached_only_through_its_questionnaire(app, login_as):
    first, second = every_kind(), every_kind(modalities=())
    client = login_as("trainer")
    question = second.questions[0]
    assert client.get(f"/manage/questionnaires/{first.id}/questions/{question.id}/edit").status_code == 404
    assert post_form(client, f"/manage/questionnaires/{first.id}/questions/{question.id}/delete").status_code == 404
    assert db.session.get(Question, question.id) is not None


def test_an_activity_questionnaire_is_its_own_trainers_and_admins(app, login_as, people):
    questionnaire = every_kind()
    other = factories.make_person(Role.TRAINER)
    activity = activity_with_attendees(questionnaire, trainers=(people["trainer"],))
    url = f"/manage/activities/{activity.id}/questionnaire"
    assert _client(app, other).get(url).status_code == 403
    assert login_as("focal_point").get(url).status_code == 403
    own = login_as("trainer")
    page = text(own.get(url))
    assert "Evaluation" in page
    assert f'href="{url}"' in text(own.get(f"/manage/activities/{activity.id}"))
    assert login_as("admin").get(url).status_code == 200
    assert own.get("/manage/activities/999999/questionnaire").status_code == 404


def _answer_form(questionnaire, activity, rating="4"):
    q = {question.kind: question for question in questionnaire.questions}
    form = {f"q{q[QuestionKind.RATING].id}": rating, f"q{q[QuestionKind.SINGLE].id}": "o1",
            f"q{q[QuestionKind.MULTIPLE].id}": ["o1", "o2"], f"q{q[QuestionKind.TEXT].id}": HOSTILE}
    for session in activity.sessions:
        form[f"q{q[QuestionKind.SESSION_RATING].id}-s{session.id}"] = "2"
    return form


def test_an_attendee_answers_on_a_page_without_javascript(app, people):
    questionnaire = every_kind()
    learner = people["learner"]
    learner.preferred_language = "fr"
    activity = activity_with_attendees(questionnaire, (learner,))
    url = f"/evaluations/activities/{activity.id}"
    with frozen_clock(activity.ends_at - timedelta(hours=1)):
        assert "ouvre à la fin" in text(_client(app, learner).get(url))
    with frozen_clock(activity.ends_at + timedelta(days=1)):
        client = _client(app, learner)
        page = text(client.get(url))
        assert "<fieldset" in page and 'type="radio"' in page and 'type="checkbox"' in page and "<textarea" in page
        assert "Très bien" in page and "Trop lent" in page  # the reader's language
        assert page.count("<fieldset") == 5 + len(activity.sessions)  # one group per session
        refused = post_form(client, url, _answer_form(questionnaire, activity, rating="9"), token_from=url)
        assert refused.status_code == 422 and "Rien n'a été enregistré" in text(refused)
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        saved = post_form(client, url, _answer_form(questionnaire, activity), token_from=url)
        assert saved.status_code == 302
        again = post_form(client, url, _answer_form(questionnaire, activity, rating="1"), token_from=url)
        assert "Vous avez répondu" in text(again)
    response = db.session.scalar(select(Response))
    assert response.person_id is None and db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert next(a.text for a in response.answers if a.text) == HOSTILE


def test_only_attendees_of_that_activity_may_answer(app, people):
    questionnaire = every_kind()
    learner = people["learner"]
    activity = activity_with_attendees(questionnaire, ())
    attend(activity, learner, present=False)
    elsewhere = activity_with_attendees(questionnaire, (people["focal_point"],))
    with frozen_clock(activity.ends_at + timedelta(days=1)):
        assert _client(app, learner).get(f"/evaluations/activities/{activity.id}").status_code == 404
        focal = _client(app, people["focal_point"])
        assert focal.get(f"/evaluations/activities/{activity.id}").status_code == 404
        assert focal.get(f"/evaluations/activities/{elsewhere.id}").status_code == 200
        assert _client(app, people["admin"]).get(f"/evaluations/activities/{activity.id}").status_code == 404
    assert app.test_client().get(f"/evaluations/activities/{activity.id}").status_code == 302


def test_the_activity_trainer_attaches_a_questionnaire_and_an_answered_one_keeps_its_shape(app, login_as, people):
    default = every_kind()
    other = every_kind(modalities=())
    activity = activity_with_attendees(default, (people["learner"],), trainers=(people["trainer"],))
    client = login_as("trainer")
    url = f"/manage/activities/{activity.id}/questionnaire"
    assert post_form(client, url, {"questionnaire": str(other.id)}, token_from=url).status_code == 302
    from elearn.evaluation import attaching, responding
    from tests.evaluation.questionnaire_fixtures import full_answers

    attached = attaching.attachment(activity.id)
    assert attached.questionnaire_id == other.id
    responding.submit(attached, people["learner"], full_answers(other, activity), activity.ends_at + timedelta(hours=1))
    refused = post_form(client, url, {"questionnaire": ""}, token_from=url)
    assert "can no longer change" in text(refused) and attaching.attachment(activity.id).questionnaire_id == other.id
    rating = other.questions[0]
    edit = f"/manage/questionnaires/{other.id}/questions/{rating.id}/edit"
    refused = post_form(client, edit, {"kind": "text", "prompt_en": "Overall"}, token_from=edit)
    assert "only its wording can change" in text(refused)
    assert db.session.get(Question, rating.id).kind == QuestionKind.RATING
    removed = post_form(client, f"/manage/questionnaires/{other.id}/questions/{rating.id}/delete",
                        token_from=f"/manage/questionnaires/{other.id}", follow_redirects=True)
    assert "cannot be removed" in text(removed) and db.session.get(Question, rating.id) is not None
