"""The pages: asking with a file, the thread, who sees a question (and its files), the unit's queue, assigning
and publishing through the forms, the dashboard's overdue questions."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from elearn.assistance import services
from elearn.assistance.models import AssistanceQuestion, QuestionStatus, Urgency
from elearn.extensions import db
from elearn.library.models import LibraryResource
from tests import factories
from tests.assistance.conftest import ask
from tests.helpers import csrf_token, frozen_clock, post_form, sign_in, text

PDF = b"%PDF-1.7\n%%EOF\n"


def client_of(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, factories.PASSWORD).status_code == 302
    return client


def test_asking_with_a_file_then_reading_the_thread(app, people, world, login_as):
    client = login_as("learner")
    form = text(client.get("/assistance/ask"))
    assert "Urgent: an answer within 2 working days" in form
    response = client.post("/assistance/ask", data={
        "csrf_token": csrf_token(client, "/assistance/ask"), "title": "Quorum in committee",
        "body": "How is it counted?", "topic_id": str(world["budget"].id), "urgency": "urgent",
        "files": [(io.BytesIO(PDF), "rules.pdf")]}, content_type="multipart/form-data")
    assert response.status_code == 302
    question = db.session.scalars(select(AssistanceQuestion)).one()
    page = text(client.get(response.headers["Location"]))
    assert "Quorum in committee" in page and "How is it counted?" in page and "rules.pdf" in page
    download = client.get(f"/assistance/attachments/{question.attachments[0].id}")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment;")


def test_a_bad_question_says_what_is_wrong_and_keeps_nothing(app, people, world, login_as):
    client = login_as("learner")
    response = client.post("/assistance/ask", data={
        "csrf_token": csrf_token(client, "/assistance/ask"), "title": "Quorum", "body": "",
        "topic_id": str(world["budget"].id), "urgency": "normal",
        "files": [(io.BytesIO(b"<html><script>x</script></html>"), "page.txt")]}, content_type="multipart/form-data")
    assert response.status_code == 400 and "This field is required." in text(response)
    response = client.post("/assistance/ask", data={
        "csrf_token": csrf_token(client, "/assistance/ask"), "title": "Quorum", "body": "How?",
        "topic_id": str(world["budget"].id), "urgency": "normal",
        "files": [(io.BytesIO(b"<html><script>x</script></html>"), "page.txt")]}, content_type="multipart/form-data")
    assert response.status_code == 400 and "“page.txt” is not accepted" in text(response)
    assert db.session.scalars(select(AssistanceQuestion)).all() == []


def test_who_sees_a_question(app, people, world):
    question = ask(people["learner"], world["budget"], title="Secret budget question", files=[("a.pdf", PDF)])
    with app.test_request_context():
        services.assign(question, world["expert"].id, people["trainer"])
    page_url, file_url = f"/assistance/questions/{question.id}", f"/assistance/attachments/{question.attachments[0].id}"
    for person in (people["learner"], people["focal_point"], world["expert"], people["trainer"], people["admin"]):
        client = client_of(app, person)
        assert "Secret budget question" in text(client.get(page_url)), person.full_name
        assert client.get(file_url).status_code == 200
    for person in (world["colleague"], world["foreign_focal"], world["other_expert"], world["foreign_staff"]):
        client = client_of(app, person)
        assert client.get(page_url).status_code == 404, person.full_name
        assert client.get(file_url).status_code == 404
        assert "Secret budget question" not in text(client.get("/assistance"))
        reply = post_form(client, f"{page_url}/reply", {"body": "Let me in"})
        close = post_form(client, f"{page_url}/close")
        assert reply.status_code == close.status_code == 404
    assert question.messages == [] and question.status == QuestionStatus.ASSIGNED
    assert client_of(app, people["focal_point"]).get("/assistance").status_code == 200
    assert "Secret budget question" in text(client_of(app, people["focal_point"]).get("/assistance"))


def test_the_wrong_role_is_refused_the_units_pages(app, people, world, login_as):
    question = ask(people["learner"], world["budget"])
    for role in ("learner", "focal_point"):
        client = login_as(role)
        assert client.get("/manage/assistance").status_code == 403
        assert post_form(client, f"/manage/assistance/questions/{question.id}/assign",
                         {"expert_id": world["expert"].id}).status_code == 403
        assert client.get(f"/manage/assistance/questions/{question.id}/publish").status_code == 403
    assert login_as("trainer").get("/assistance/ask").status_code == 403  # not of a partner parliament
    db.session.refresh(question)
    assert question.expert_id is None


def test_a_post_without_its_csrf_token_changes_nothing(app, people, world, login_as):
    question = ask(people["learner"], world["budget"])
    client = login_as("trainer")
    client.get("/manage/assistance")
    response = client.post(f"/manage/assistance/questions/{question.id}/assign", data={"expert_id": world["expert"].id})
    assert response.status_code == 400
    assert login_as("learner").post(f"/assistance/questions/{question.id}/close").status_code == 400
    db.session.refresh(question)
    assert question.expert_id is None and question.status == QuestionStatus.OPEN


def test_the_unit_assigns_answers_and_publishes_through_the_pages(app, people, world, login_as):
    people["learner"].full_name = "Fatou Jallow"
    db.session.commit()
    question = ask(people["learner"], world["budget"], body="Fatou Jallow asks: how is the quorum counted?")
    trainer = login_as("trainer")
    page = text(trainer.get(f"/assistance/questions/{question.id}"))
    roster_group = page.index('label="Roster experts on this topic"')
    assert roster_group < page.index("Claire Budget-Expert") < page.index('label="Other roster experts"')
    url = f"/manage/assistance/questions/{question.id}"
    refused = post_form(trainer, f"{url}/assign", {"expert_id": world["colleague"].id})
    assert refused.status_code == 400 and "Choose a person of an assisting parliament." in text(refused), text(refused)[-3000:]
    assert post_form(trainer, f"{url}/assign", {"expert_id": world["expert"].id}).status_code == 302
    expert = client_of(app, world["expert"])
    assert "awaits your answer" in text(expert.get("/dashboard"))
    assert post_form(expert, f"/assistance/questions/{question.id}/reply",
                     {"body": "Members present, not seats."}).status_code == 302
    form = text(trainer.get(f"{url}/publish"))
    assert "Fatou" not in form and "[name] asks: how is the quorum counted?" in form
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    response = post_form(trainer, f"{url}/publish", {"title": "Counting the quorum", "summary": "",
                                                     "body": body.replace("&#34;", '"').strip(),
                                                     "language": "en", "access": "network"})
    assert response.status_code == 302, text(response)
    resource = db.session.scalars(select(LibraryResource)).one()
    assert resource.title == "Counting the quorum" and "Members present, not seats." in resource.body
    assert "Published, anonymised" in text(trainer.get(f"/assistance/questions/{question.id}"))


def test_the_queue_puts_the_most_overdue_first_and_filters(app, people, world, login_as):
    with frozen_clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
        ask(people["learner"], world["budget"], title="Low one", urgency=Urgency.LOW)
        ask(people["learner"], world["committees"], title="Urgent one", urgency=Urgency.URGENT)
    trainer = login_as("trainer")
    page = text(trainer.get("/manage/assistance"))
    assert page.index("Urgent one") < page.index("Low one") and "Overdue" in page
    only = text(trainer.get(f"/manage/assistance?topic={world['budget'].id}"))
    assert "Low one" in only and "Urgent one" not in only
    dashboard = text(trainer.get("/dashboard"))
    assert "2 overdue questions" in dashboard and "Urgent one" in dashboard


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_the_dashboard_shows_partners_their_open_questions(app, people, world, login_as, role):
    ask(people["learner"], world["budget"], title="Our open question")
    assert "Our open question" in text(login_as(role).get("/dashboard"))
    assert "Our open question" not in text(client_of(app, world["foreign_focal"]).get("/dashboard"))
