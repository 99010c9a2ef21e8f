"""The demo seed fills the learner's and the focal point's dashboards, once."""
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learning.models import Certificate, Enrolment, LessonProgress
from elearn.scheduling.models import Registration
from tests.helpers import sign_in, text


def dashboard_of(app, email: str, password: str) -> str:
    client = app.test_client()
    assert sign_in(client, email, password).status_code == 302
    return text(client.get("/dashboard"))


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Registration, Enrolment, LessonProgress, Certificate))


def test_the_demo_fills_the_dashboards_and_a_second_run_adds_nothing(app, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    filled = counts()

    member = dashboard_of(app, "mp@example.org", "demo-learner-2026")
    assert "Your next sessions" in member and "Live e-learning: drafting amendments" in member
    assert "Join online" in member and "Add to calendar" in member
    assert "Courses in progress" in member and "3 of 6 lessons done" in member and "Resume:" in member
    assert "Certificates earned" in member and "/courses/induction-new-members/certificate" in member
    clerk = dashboard_of(app, "staff@example.org", "demo-learner-2026")
    assert "Waiting list, position 1" in clerk and "awaiting a trainer's approval" in clerk
    focal = dashboard_of(app, "focal@example.org", "demo-bridge-2026")
    assert "Nominations awaiting a decision" in focal
    assert "Mariama Darboe" in focal and "Haddy Camara" in focal
    assert "Dialogue facilitation between parliamentary groups" in focal and "Members by political side" in focal

    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    assert counts() == filled
