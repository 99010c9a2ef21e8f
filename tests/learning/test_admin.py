"""Trainers' pages: enrolments table (sorted, paginated, CSV), bulk enrolment with mail, quiz results."""
import csv
import io
import re

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.learning.lookups import active_lessons, active_questions
from elearn.learning.models import Enrolment
from elearn.learning.progress import mark_lesson_done
from elearn.learning.quizzes import submit_quiz
from elearn.mail.models import OutboxMessage
from elearn.people.models import PersonKind
from tests.factories import make_parliament, make_person
from tests.helpers import post_form, text
from tests.learning.factories import enrol, make_course, right_answers


@pytest.fixture
def course(app):
    return make_course("committee-work", lessons=2, questions=2, pass_mark=75)


@pytest.fixture
def trainer(login_as):
    return login_as("trainer")


def rows(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return re.findall(r"<tr>\s*<td>([^<]+)<br>", body)


def test_enrolments_table_sorts_and_paginates(app, course, trainer):
    zara = make_person(full_name="Zara Zed")
    adam = make_person(full_name="adam Able")
    mona = make_person(full_name="Mona Middle")
    for person in (zara, adam, mona):
        enrol(person, course)
    mark_lesson_done(db.session.scalar(select(Enrolment).where(Enrolment.person_id == mona.id)),
                              active_lessons(course)[0])
    url = "/admin/courses/committee-work/enrolments"
    assert rows(text(trainer.get(url))) == ["adam Able", "Mona Middle", "Zara Zed"]
    assert rows(text(trainer.get(f"{url}?sort=name&dir=desc"))) == ["Zara Zed", "Mona Middle", "adam Able"]
    page = text(trainer.get(f"{url}?sort=progress&dir=desc"))
    assert rows(page)[0] == "Mona Middle" and "1 of 2" in page
    assert 'aria-sort="descending"' in page

    app.config["PAGE_SIZE"] = 2
    first = text(trainer.get(url))
    assert rows(first) == ["adam Able", "Mona Middle"] and "Page 1 of 2, 3 in all" in first
    assert rows(text(trainer.get(f"{url}?page=2"))) == ["Zara Zed"]


def test_csv_export(app, course, trainer, people):
    from tests.learning.factories import complete_course

    enrolment, _ = complete_course(people["learner"], course)
    enrol(make_person(full_name="=HYPERLINK(1)"), course)
    response = trainer.get("/admin/courses/committee-work/enrolments.csv")
    assert response.mimetype == "text/csv"
    assert 'filename="enrolments-committee-work.csv"' in response.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    learner = next(row for row in table if row["email"] == people["learner"].email)
    assert learner["lessons_done"] == "2" and learner["lessons"] == "2" and learner["best_score"] == "100"
    assert learner["certificate"] == enrolment.certificate.code
    assert learner["parliament"] == "National Assembly of The Gambia"
    assert any(row["name"] == "'=HYPERLINK(1)" for row in table)  # no formulas in spreadsheets


def test_enrol_a_list_of_people_and_mail_them(app, course, trainer, people):
    french = make_person(email="depute@example.org", preferred_language="fr")
    enrol(people["learner"], course)
    url = "/admin/courses/committee-work/enrol"
    response = post_form(trainer, url, {"emails": f"Depute@example.org, {people['learner'].email}\n",
                                        "parliament_id": "", "kind": ""}, token_from=url)
    assert response.headers["Location"].endswith("/admin/courses/committee-work/enrolments")
    page = text(trainer.get(response.headers["Location"]))
    assert "1 person enrolled and notified." in page and "1 was already enrolled." in page
    assert db.session.scalar(select(Enrolment).where(Enrolment.person_id == french.id)).enrolled_by_id == people["trainer"].id
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "course_enrolment")).all()
    assert message.to_address == "depute@example.org"
    assert "Le travail en commission" not in message.subject  # the sample course's French title:
    assert "Cours d'exemple committee-work" in message.subject
    assert "http://hemicycle.test/courses/committee-work" in message.body_text


def test_unknown_addresses_are_a_form_error_and_nobody_is_enrolled(app, course, trainer, people):
    url = "/admin/courses/committee-work/enrol"
    response = post_form(trainer, url, {"emails": f"{people['learner'].email} nobody@example.org"}, token_from=url)
    assert response.status_code == 200
    assert "No active account for: nobody@example.org" in text(response)
    assert db.session.scalars(select(Enrolment)).all() == []


def test_enrol_a_parliaments_delegation(app, course, trainer):
    parliament = make_parliament(name_en="National Assembly of Malawi", country_code="MW")
    mp = make_person(parliament=parliament, kind=PersonKind.MP)
    make_person(parliament=parliament, kind=PersonKind.STAFF)
    make_person(parliament=parliament, kind=PersonKind.MP, is_active=False)
    make_person()  # another parliament's
    url = "/admin/courses/committee-work/enrol"
    assert "National Assembly of Malawi" in text(trainer.get(url))
    post_form(trainer, url, {"emails": "", "parliament_id": str(parliament.id), "kind": "mp"}, token_from=url)
    assert db.session.scalars(select(Enrolment.person_id)).all() == [mp.id]
    post_form(trainer, url, {"emails": "", "parliament_id": str(parliament.id), "kind": ""}, token_from=url)
    assert len(db.session.scalars(select(Enrolment)).all()) == 2


def test_quiz_results_show_the_most_failed_questions_first(app, course, trainer):
    questions = active_questions(course)
    for n in range(3):
        answers = right_answers(course)
        if n < 2:  # two learners get q2 wrong
            answers.setlist(f"question-{questions[1].id}", [str(questions[1].options[2].id)])
        submit_quiz(enrol(make_person(), course), answers)
    page = text(trainer.get("/admin/courses/committee-work/quiz-results"))
    assert "3 attempts, 1 passed." in page
    assert page.index("Question 2 (en)?") < page.index("Question 1 (en)?")
    assert re.search(r'Question 2 \(en\)\?</td>\s*<td class="num">3</td>\s*<td class="num">1</td>\s*<td class="num">33 %</td>', page)
    assert re.search(r'Question 1 \(en\)\?</td>\s*<td class="num">3</td>\s*<td class="num">3</td>\s*<td class="num">100 %</td>', page)


def test_course_overview_counts(app, course, trainer, people):
    from tests.learning.factories import complete_course

    complete_course(people["learner"], course)
    enrol(make_person(), course)
    page = text(trainer.get("/admin/courses"))
    assert re.search(r'Sample course committee-work</a></td>\s*<td class="num">1</td>\s*<td class="num">2</td>\s*'
                     r'<td class="num">2</td>\s*<td class="num">1</td>', page)
