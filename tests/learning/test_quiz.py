"""Quizzes are scored on the server; tampered or incomplete submissions record nothing."""
import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learning.lookups import active_questions
from elearn.learning.models import QuizAnswer, QuizAttempt
from elearn.learning.quizzes import submit_quiz
from tests.helpers import post_form, text
from tests.learning.factories import enrol, make_course, right_answers

QUIZ = "/courses/sample-course/quiz"


@pytest.fixture
def course(app):
    # q1 single (a right), q2 multiple (a and b right), q3 single, q4 multiple.
    return make_course(lessons=2, questions=4, pass_mark=75)


@pytest.fixture
def client(course, people, login_as):
    enrol(people["learner"], course)
    return login_as("learner")


def form_for(course, choices: dict[str, list[str]]) -> dict:
    """{"q1": ["a"], ...} in terms of the ids the quiz page uses."""
    data = {}
    for question in active_questions(course):
        by_key = {option.key: option.id for option in question.options}
        data[f"question-{question.id}"] = [str(by_key[k]) for k in choices.get(question.key, [])]
    return data


def attempts() -> int:
    return db.session.scalar(select(func.count(QuizAttempt.id)))


def test_the_quiz_page_shows_questions_in_the_learners_language(course, client, people):
    page = text(client.get(QUIZ))
    assert "Question 1 (en)?" in page and "Option b (en)" in page
    assert 'type="radio" name="question-' in page and 'type="checkbox" name="question-' in page
    assert "Because" not in page  # explanations only after submitting


def test_scoring_with_explanations_and_best_score(course, client, people):
    # q2 half right (multiple needs exactly a and b), q4 wrong: 2 of 4 = 50%, below 75%.
    response = post_form(client, QUIZ, form_for(course, {"q1": ["a"], "q2": ["a"], "q3": ["a"], "q4": ["c"]}), token_from=QUIZ)
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "You answered 2 of 4 questions correctly: 50%." in page
    assert "The pass mark is 75%" in page
    assert "Because 2 (en)." in page and "Because 1 (en)." in page
    enrolment = db.session.scalar(select(QuizAttempt)).enrolment
    assert enrolment.best_score == 50 and enrolment.quiz_passed_at is None

    response = post_form(client, QUIZ, form_for(course, {"q1": ["a"], "q2": ["a", "b"], "q3": ["a"], "q4": ["a", "b"]}), token_from=QUIZ)
    assert "You answered 4 of 4 questions correctly: 100%." in text(client.get(response.headers["Location"]))
    post_form(client, QUIZ, form_for(course, {"q1": ["b"], "q2": ["c"], "q3": ["b"], "q4": ["c"]}), token_from=QUIZ)
    db.session.expire_all()
    assert attempts() == 3
    assert enrolment.best_score == 100 and enrolment.quiz_passed_at is not None
    scores = db.session.scalars(select(QuizAttempt.score).order_by(QuizAttempt.id)).all()
    assert scores == [50, 100, 0]
    wrong = db.session.scalars(select(QuizAnswer).join(QuizAttempt).where(QuizAttempt.score == 50)
                               .where(QuizAnswer.is_correct.is_(False))).all()
    assert sorted(answer.chosen for answer in wrong) == [["a"], ["c"]]


def test_a_missing_answer_is_a_form_error_and_records_nothing(course, client):
    data = form_for(course, {"q1": ["a"], "q2": ["a", "b"], "q3": ["a"]})
    response = post_form(client, QUIZ, data, token_from=QUIZ)
    page = text(response)
    assert response.status_code == 200
    assert "Answer every question before submitting." in page
    assert page.count("Answer this question.") == 1
    assert 'checked' in page  # the answers given are kept
    assert attempts() == 0


@pytest.mark.parametrize("tamper", ["unknown option", "option of another question", "other course's question",
                                    "unknown question", "two answers to a single-choice question", "not a number"])
def test_tampered_submissions_get_400_and_record_nothing(app, course, client, tamper):
    other = make_course("other-course", lessons=1, questions=1)
    data = form_for(course, {"q1": ["a"], "q2": ["a", "b"], "q3": ["a"], "q4": ["a"]})
    questions = active_questions(course)
    q1, q2 = f"question-{questions[0].id}", f"question-{questions[1].id}"
    if tamper == "unknown option":
        data[q1] = ["999999"]
    elif tamper == "option of another question":
        data[q1] = [str(questions[1].options[0].id)]
    elif tamper == "other course's question":
        foreign = active_questions(other)[0]
        data[f"question-{foreign.id}"] = [str(foreign.options[0].id)]
    elif tamper == "unknown question":
        data["question-999999"] = ["1"]
    elif tamper == "two answers to a single-choice question":
        data[q1] = [str(o.id) for o in questions[0].options[:2]]
    else:
        data[q2] = ["a"]
    response = post_form(client, QUIZ, data, token_from=QUIZ)
    assert response.status_code == 400
    assert "The request could not be understood" in text(response)
    assert attempts() == 0
    assert db.session.scalar(select(func.count(QuizAnswer.id))) == 0


def test_a_learner_cannot_see_someone_elses_attempt(course, client, people, login_as):
    from tests.factories import make_person
    other = make_person()
    attempt = submit_quiz(enrol(other, course), right_answers(course))
    assert client.get(f"{QUIZ}/attempts/{attempt.id}").status_code == 404


def test_not_enrolled_learners_are_sent_to_the_course_page(course, login_as):
    client = login_as("focal_point")
    response = client.get(QUIZ)
    assert response.headers["Location"].endswith("/courses/sample-course")
    assert "Enrol in this course first." in text(client.get(response.headers["Location"]))
