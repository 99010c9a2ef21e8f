"""Learning-gain pages over HTTP: taking the test, who sees scores (IDOR), the trainer's page and its exports."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from elearn.access import Role
from elearn.evaluation import gain
from elearn.evaluation.gain_models import TestScore as Score
from elearn.extensions import db
from elearn.learning.lookups import active_questions
from tests import factories
from tests.evaluation.gain_fixtures import answers, confirm, course_activity, end_in, participants, scored
from tests.helpers import count_queries, csrf_token, sign_in, text
from tests.learning.factories import make_course
from tests.scheduling.factories import make_activity


@pytest.fixture
def own(app, people):
    """An activity of the trainer's in 20 days, its course quiz as test, the learner confirmed."""
    activity, course = course_activity(trainer=people["trainer"])
    confirm(activity, people["learner"])
    return activity, course


def _client_for(app, role: Role, email: str):
    factories.make_person(role, email=email)
    client = app.test_client()
    assert sign_in(client, email, factories.PASSWORD).status_code == 302
    return client


def post_form(client, path, data, *, token_from):
    """As tests.helpers.post_form, keeping every value of a field (several options of one question)."""
    form = MultiDict(data)
    form["csrf_token"] = csrf_token(client, token_from)
    return client.post(path, data=form)


def _scores() -> int:
    return db.session.scalar(select(func.count(Score.id)))


def test_a_participant_takes_the_pre_test_in_their_language_and_sees_their_score(login_as, own):
    activity, course = own
    client = login_as("learner")
    page = text(client.get(f"/activities/{activity.id}"))
    assert f"/activities/{activity.id}/learning-test/pre" in page
    learner = activity.registrations[0].person
    learner.preferred_language = "fr"
    db.session.commit()
    form = text(client.get(f"/activities/{activity.id}/learning-test/pre"))
    assert "Question 1 (fr)?" in form and "Option a (fr)" in form and "Question 1 (en)?" not in form
    learner.preferred_language = "en"
    db.session.commit()
    response = post_form(client, f"/activities/{activity.id}/learning-test/pre", answers(course, right=1),
                         token_from=f"/activities/{activity.id}/learning-test/pre")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/activities/{activity.id}/learning-test")
    mine = text(client.get(f"/activities/{activity.id}/learning-test"))
    assert "25 out of 100" in mine
    again = client.get(f"/activities/{activity.id}/learning-test/pre")
    assert "already taken" in text(again)
    activity_page = text(client.get(f"/activities/{activity.id}"))
    assert f"/activities/{activity.id}/learning-test/pre" not in activity_page
    assert f'href="/activities/{activity.id}/learning-test"' in activity_page


def test_questions_are_shown_in_the_quiz_language_with_fallback(app, people, login_as):
    course = make_course("french-only", questions=2, languages=("fr",))
    activity = make_activity(course_id=course.id)
    gain.set_test(activity, course.quiz.id, None)
    confirm(activity, people["learner"])
    page = text(login_as("learner").get(f"/activities/{activity.id}/learning-test/pre"))
    assert "Question 1 (fr)?" in page and 'lang="fr"' in page


def test_a_second_attempt_posted_anyway_is_refused_and_saves_nothing(login_as, own):
    activity, course = own
    client = login_as("learner")
    path = f"/activities/{activity.id}/learning-test/pre"
    token_page = path
    post_form(client, path, answers(course, right=4), token_from=token_page)
    response = post_form(client, path, answers(course, right=0), token_from=f"/activities/{activity.id}")
    assert response.status_code == 409
    assert db.session.scalar(select(Score.score)) == 100 and _scores() == 1


def test_a_pre_test_after_the_start_or_a_post_test_before_the_end_is_refused(login_as, own):
    activity, course = own
    client = login_as("learner")
    post = f"/activities/{activity.id}/learning-test/post"
    response = post_form(client, post, answers(course, right=4), token_from=f"/activities/{activity.id}")
    assert response.status_code == 409 and "opens when its last session ends" in text(response)
    end_in(activity, -timedelta(hours=1))
    pre = f"/activities/{activity.id}/learning-test/pre"
    response = post_form(client, pre, answers(course, right=4), token_from=f"/activities/{activity.id}")
    assert response.status_code == 409
    assert _scores() == 0
    response = post_form(client, post, answers(course, right=4), token_from=post)
    assert response.status_code == 302 and _scores() == 1


def test_an_option_of_another_question_is_a_400_and_saves_nothing(login_as, own):
    activity, course = own
    client = login_as("learner")
    first, second, *_rest = active_questions(course)
    form = answers(course, right=4)
    form.setlist(f"question-{first.id}", [str(second.options[0].id)])
    path = f"/activities/{activity.id}/learning-test/pre"
    assert post_form(client, path, form, token_from=path).status_code == 400
    assert _scores() == 0


def test_a_missing_answer_is_shown_on_the_form(login_as, own):
    activity, course = own
    client = login_as("learner")
    form = answers(course, right=4)
    first = active_questions(course)[0]
    form.pop(f"question-{first.id}")
    path = f"/activities/{activity.id}/learning-test/pre"
    response = post_form(client, path, form, token_from=path)
    assert response.status_code == 200 and "Answer this question." in text(response) and _scores() == 0


@pytest.mark.parametrize("role", ["focal_point", "trainer", "admin"])
def test_people_not_confirmed_cannot_take_the_test(login_as, own, role):
    activity, course = own
    path = f"/activities/{activity.id}/learning-test/pre"
    client = login_as(role)
    assert client.get(path).status_code == 403
    assert post_form(client, path, answers(course, right=4), token_from=f"/activities/{activity.id}").status_code == 403
    assert client.get(f"/activities/{activity.id}/learning-test").status_code == 404
    assert _scores() == 0


def test_an_unknown_phase_is_not_found(login_as, own):
    activity, _course = own
    assert login_as("learner").get(f"/activities/{activity.id}/learning-test/during").status_code == 404


def test_the_trainer_sees_each_participants_scores_and_the_average(login_as, own):
    activity, _course = own
    a, b = participants(activity, 2)
    scored(activity, a, 40, 90)
    scored(activity, b, 70, None)
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}/gain"))
    assert a.full_name in page and b.full_name in page and "+50" in page
    assert "Participants with both scores" in page


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_learners_and_focal_points_are_refused_the_gain_pages(login_as, own, role):
    activity, _course = own
    client = login_as(role)
    for path in _manage_urls(activity.id):
        assert client.get(path).status_code == 403, path


def _manage_urls(activity_id: int) -> list[str]:
    base = f"/manage/activities/{activity_id}"
    return [f"{base}/gain", f"{base}/gain.csv", f"{base}/gain.xlsx", f"{base}/learning-test"]


def test_a_trainer_of_another_activity_is_refused(app, own):
    activity, _course = own
    client = _client_for(app, Role.TRAINER, "other-trainer@example.org")
    for path in _manage_urls(activity.id):
        assert client.get(path).status_code == 403, path
    response = post_form(client, f"/manage/activities/{activity.id}/learning-test", {"quiz_id": "1"},
                         token_from="/account/profile")
    assert response.status_code == 403


def test_one_participant_never_sees_anothers_score(app, login_as, own, people):
    activity, _course = own
    scored(activity, people["learner"], 60, None)
    (other,) = participants(activity, 1)
    client = app.test_client()
    assert sign_in(client, other.email, factories.PASSWORD).status_code == 302
    page = text(client.get(f"/activities/{activity.id}/learning-test"))
    assert "60 out of 100" not in page and "Not taken" in page
    assert client.get(f"/manage/activities/{activity.id}/gain").status_code == 403


def test_an_admin_sets_the_test_from_the_list(admin_client, own):
    activity, _course = own
    other = make_course("chosen-course", questions=2)
    path = f"/manage/activities/{activity.id}/learning-test"
    page = text(admin_client.get(path))
    assert "chosen-course" in page or "Sample course chosen-course" in page
    response = post_form(admin_client, path, {"quiz_id": str(other.quiz.id)}, token_from=path)
    assert response.status_code == 302
    assert gain.test_of(activity.id).quiz_id == other.quiz.id
    response = post_form(admin_client, path, {"quiz_id": "999999"}, token_from=path)
    assert response.status_code == 200 and "Choose one of the quizzes offered." in text(response)
    assert gain.test_of(activity.id).quiz_id == other.quiz.id


def test_the_overview_links_to_the_test_and_the_gain_for_its_trainers(login_as, own):
    activity, _course = own
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}"))
    assert f"/manage/activities/{activity.id}/learning-test" in page and f"/manage/activities/{activity.id}/gain" in page


def test_the_schedule_links_to_the_open_pre_test(login_as, own):
    activity, _course = own
    assert f"/activities/{activity.id}/learning-test/pre" in text(login_as("learner").get("/my/schedule"))


def test_csv_and_xlsx_carry_the_scores_and_the_average(login_as, own):
    activity, _course = own
    (person,) = participants(activity, 1)
    person.full_name = "=HYPERLINK(\"x\")"
    db.session.commit()
    scored(activity, person, 20, 65)
    client = login_as("trainer")
    csv = client.get(f"/manage/activities/{activity.id}/gain.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv and "20,65,45" in csv and "45.0" in csv
    workbook = load_workbook(io.BytesIO(client.get(f"/manage/activities/{activity.id}/gain.xlsx").data))
    values = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert ["'=HYPERLINK(\"x\")", 20, 65, 45] in values
    assert values[-1][3] == 45.0


def test_the_gain_page_runs_the_same_number_of_queries_for_5_and_50_participants(login_as, own):
    activity, _course = own
    client = login_as("trainer")
    counts = []
    for count in (5, 50):
        for person in participants(activity, count - len(activity.registrations) + 1, prefix=f"n{count}"):
            scored(activity, person, 40, 70)
        client.get(f"/manage/activities/{activity.id}/gain")
        with count_queries() as counter:
            assert client.get(f"/manage/activities/{activity.id}/gain").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
