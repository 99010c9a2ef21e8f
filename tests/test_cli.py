"""Command-line tools: demo data, reference parliaments, administrators."""
from sqlalchemy import func, select

from elearn.access import Role
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from tests.helpers import sign_in


def test_demo_seed_is_idempotent_and_the_readme_accounts_work(app, runner):
    first = runner.invoke(args=["demo", "seed", "--learners", "3"])
    assert first.exit_code == 0, first.output
    people = db.session.scalar(select(func.count(Person.id)))
    parliaments = db.session.scalar(select(func.count(Parliament.id)))
    second = runner.invoke(args=["demo", "seed"])
    assert "0 parliaments, 0 people and 0 activities added" in second.output
    assert db.session.scalar(select(func.count(Person.id))) == people
    assert db.session.scalar(select(func.count(Parliament.id))) == parliaments
    roles = {p.email: p.role for p in db.session.scalars(select(Person))}
    assert roles["admin@example.org"] == Role.ADMIN
    assert roles["trainer@example.org"] == Role.TRAINER
    assert roles["focal@example.org"] == Role.FOCAL_POINT
    assert sum(1 for email in roles if email.startswith("learner")) == 3
    client = app.test_client()
    assert sign_in(client, "admin@example.org", "demo-admin-2026").status_code == 302
    assert sign_in(app.test_client(), "learner1@example.org", "demo-learner-2026").status_code == 302


def test_demo_seed_adds_more_learners_on_request(app, runner):
    runner.invoke(args=["demo", "seed", "--learners", "2"])
    runner.invoke(args=["demo", "seed", "--learners", "2"])
    learners = db.session.scalar(select(func.count(Person.id)).where(Person.email.like("learner%")))
    assert learners == 4


def test_reference_parliaments_include_partners_and_assisting(app, runner):
    result = runner.invoke(args=["parliaments", "seed"])
    assert result.exit_code == 0
    names = {p.name_en: p for p in db.session.scalars(select(Parliament))}
    assert names["National Assembly of The Gambia"].receives_assistance
    assert names["People's Majlis of Maldives"].working_languages == ["dv", "en"]
    assert names["French National Assembly"].gives_assistance
    assert names["French National Assembly"].name_fr == "Assemblée nationale (France)"


def test_create_admin(app, runner):
    result = runner.invoke(args=["users", "create-admin", "Boss@Example.org", "--password", "a-good-long-password"])
    assert result.exit_code == 0, result.output
    person = db.session.scalar(select(Person).where(Person.email == "boss@example.org"))
    assert person.role == Role.ADMIN
    assert sign_in(app.test_client(), "BOSS@example.org", "a-good-long-password").status_code == 302


def test_create_admin_refuses_a_weak_password_and_a_duplicate(app, runner):
    weak = runner.invoke(args=["users", "create-admin", "a@example.org", "--password", "password123"])
    assert weak.exit_code != 0 and "too common" in weak.output
    runner.invoke(args=["users", "create-admin", "b@example.org", "--password", "a-good-long-password"])
    duplicate = runner.invoke(args=["users", "create-admin", "B@example.org", "--password", "a-good-long-password"])
    assert duplicate.exit_code != 0 and "already used" in duplicate.output
