"""Quizzes are scored on the server; tampered or incomplete submissions record nothing."""
import csv
import io
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learning.errors import AttemptRefused
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
    failed = response.headers["Location"]
    page = text(client.get(failed))
    assert "You answered 2 of 4 questions correctly: 50%." in page
    assert "The pass mark is 75%" in page
    assert "Because" not in page  # the explanations give the answers away: not before a pass
    enrolment = db.session.scalar(select(QuizAttempt)).enrolment
    assert enrolment.best_score == 50 and enrolment.quiz_passed_at is None

    response = post_form(client, QUIZ, form_for(course, {"q1": ["a"], "q2": ["a", "b"], "q3": ["a"], "q4": ["a", "b"]}), token_from=QUIZ)
    assert "You answered 4 of 4 questions correctly: 100%." in text(client.get(response.headers["Location"]))
    assert "Because 2 (en)." in text(client.get(failed)) and "Because 1 (en)." in text(client.get(failed))
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


# Review policy, attempt limit and waiting time ([quiz] in course.toml).

WRONG = {"q1": ["b"], "q2": ["a"], "q3": ["a"], "q4": ["c"]}  # q3 right only: 25%, below 75%
RIGHT = {"q1": ["a"], "q2": ["a", "b"], "q3": ["a"], "q4": ["a", "b"]}


def quiz_course(**settings) -> object:
    lines = ["[quiz]"] + [f"{key} = {value!r}".replace("'", '"') for key, value in settings.items()]
    return make_course("ruled-course", lessons=1, questions=4, pass_mark=75, extra="\n".join(lines))


def submit(client, course, choices, path="/courses/ruled-course/quiz"):
    return post_form(client, path, form_for(course, choices), token_from=path)


def test_a_failed_attempt_shows_which_answers_were_right_but_not_the_right_answers(course, client):
    response = post_form(client, QUIZ, form_for(course, WRONG), token_from=QUIZ)
    page = text(client.get(response.headers["Location"]))
    assert "You answered 1 of 4 questions correctly: 25%." in page
    assert page.count("Not quite") == 3 and page.count("your answer") == 5
    assert "· correct" not in page and "Because" not in page
    assert "the right answers are not shown" in page
    assert "Try again" in page
    quiz_page = text(client.get(QUIZ))
    assert "You may take the quiz as often as you like." in quiz_page
    assert "the right answers and their explanations are shown once you pass." in quiz_page


def test_once_passed_the_right_answers_are_shown(course, client):
    failed = post_form(client, QUIZ, form_for(course, WRONG), token_from=QUIZ).headers["Location"]
    passed = post_form(client, QUIZ, form_for(course, RIGHT), token_from=QUIZ).headers["Location"]
    for location in (passed, failed):
        page = text(client.get(location))
        assert "Answers and explanations" in page
        assert page.count("· correct") == 6 and "Because 4 (en)." in page


def test_score_only_shows_no_answer_even_after_a_pass(people, login_as):
    course = quiz_course(review="score-only")
    enrol(people["learner"], course)
    client = login_as("learner")
    assert "After each attempt you see your score only." in text(client.get("/courses/ruled-course/quiz"))
    for choices in (WRONG, RIGHT):
        page = text(client.get(submit(client, course, choices).headers["Location"]))
        assert "questions correctly" in page
        assert "Not quite" not in page and "your answer" not in page and "Because" not in page


def test_right_or_wrong_never_shows_the_right_answers(people, login_as):
    course = quiz_course(review="right-or-wrong")
    enrol(people["learner"], course)
    client = login_as("learner")
    submit(client, course, RIGHT)
    page = text(client.get(submit(client, course, WRONG).headers["Location"]))
    assert "Not quite" in page and "your answer" in page
    assert "· correct" not in page and "Because" not in page


def test_attempts_beyond_the_limit_are_refused_and_record_nothing(people, login_as):
    course = quiz_course(max_attempts=2)
    enrolment = enrol(people["learner"], course)
    client = login_as("learner")
    assert "You have 2 attempts left out of 2." in text(client.get("/courses/ruled-course/quiz"))
    first = submit(client, course, WRONG).headers["Location"]
    assert "You have 1 attempt left out of 2." in text(client.get("/courses/ruled-course/quiz"))
    assert "Try again" in text(client.get(first))
    last = submit(client, course, WRONG).headers["Location"]
    refused = "You have used your 2 attempts at this quiz: no more attempts are allowed."
    assert refused in text(client.get(last)) and "Try again" not in text(client.get(last))
    page = text(client.get("/courses/ruled-course/quiz"))
    assert refused in page and 'name="question-' not in page

    response = submit(client, course, RIGHT)
    assert response.headers["Location"].endswith("/courses/ruled-course/quiz")
    assert attempts() == 2
    with pytest.raises(AttemptRefused, match="no more attempts are allowed"):
        submit_quiz(enrolment, right_answers(course))
    assert attempts() == 2 and enrolment.quiz_passed_at is None


def test_the_next_attempt_waits_and_the_page_says_until_when_in_the_viewers_timezone(people, login_as):
    course = quiz_course(minutes_between_attempts=90)
    enrolment = enrol(people["learner"], course)
    people["learner"].timezone = "Asia/Tokyo"
    db.session.commit()
    client = login_as("learner")
    assert "After an attempt, you must wait 90 minutes before the next one." in text(client.get("/courses/ruled-course/quiz"))
    submit(client, course, WRONG)
    attempt = db.session.scalar(select(QuizAttempt))
    attempt.submitted_at = datetime(2030, 1, 1, 0, 0, tzinfo=timezone.utc)  # 09:00 in Tokyo; the wait ends at 10:30
    db.session.commit()

    page = text(client.get("/courses/ruled-course/quiz")).replace("\u202f", " ")
    assert "You can take the quiz again from 10:30 AM on Tue, Jan 1, 2030 (Asia/Tokyo)." in page
    assert 'name="question-' not in page
    people["learner"].preferred_language = "fr"
    db.session.commit()
    french = text(client.get("/courses/ruled-course/quiz")).replace("\u202f", " ")
    assert "Vous pourrez repasser le questionnaire à partir de 10:30 le mar. 1 janv. 2030 (Asia/Tokyo)." in french
    # The French pages call it a questionnaire throughout (its title, the course page), never a "quiz".
    assert "Questionnaire" in french and not re.search(r"\bquiz\b", re.sub(r"<[^>]*>", "", french))
    assert submit(client, course, RIGHT).headers["Location"].endswith("/quiz")
    assert attempts() == 1
    with pytest.raises(AttemptRefused):
        submit_quiz(enrolment, right_answers(course), now=datetime(2030, 1, 1, 1, 29, tzinfo=timezone.utc))

    attempt.submitted_at = datetime(2020, 1, 1, tzinfo=timezone.utc)  # the wait is over
    people["learner"].preferred_language = "en"
    db.session.commit()
    assert 'name="question-' in text(client.get("/courses/ruled-course/quiz"))
    page = text(client.get(submit(client, course, RIGHT).headers["Location"]))
    assert "You answered 4 of 4 questions correctly: 100%." in page
    assert attempts() == 2


def test_trainers_see_the_rules_and_only_the_attempts_made(people, login_as):
    course = quiz_course(max_attempts=1, minutes_between_attempts=1440, review="right-or-wrong")
    enrolment = enrol(people["learner"], course)
    submit_quiz(enrolment, right_answers(course))
    with pytest.raises(AttemptRefused):
        submit_quiz(enrolment, right_answers(course))
    trainer = login_as("trainer")
    page = text(trainer.get("/admin/courses/ruled-course/quiz-results"))
    assert "1 attempt, 1 passed." in page
    assert "At most 1 attempt per learner." in page
    assert "Learners wait 1 day between two attempts." in page
    assert "never the right answers" in page
    assert login_as("learner").get("/admin/courses/ruled-course/quiz-results").status_code == 403
    enrolments = text(trainer.get("/admin/courses/ruled-course/enrolments"))
    assert "Quiz attempts" in enrolments and "<td>1 of 1</td>" in enrolments
    [row] = csv.DictReader(io.StringIO(text(trainer.get("/admin/courses/ruled-course/enrolments.csv")).lstrip("\ufeff")))
    assert row["quiz_attempts"] == "1"
