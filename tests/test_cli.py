"""Command-line tools: reference data, demo data, reference parliaments, administrators."""
from sqlalchemy import func, select

from elearn.access import Role
from elearn.cooperation.models import NeedsRequest
from elearn.demo.calls import CANDIDATES
from elearn.demo.delegations import DELEGATION
from elearn.demo.experts import ROSTER
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from elearn.people.parliaments import REFERENCE_PARLIAMENTS
from elearn.scheduling.models import Activity
from elearn.topics import REFERENCE_TOPICS, Topic
from tests.helpers import sign_in


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_seed_is_idempotent_and_the_readme_accounts_work(app, runner):
    first = runner.invoke(args=["demo", "seed", "--learners", "3"])
    assert first.exit_code == 0, first.output
    people = db.session.scalar(select(func.count(Person.id)))
    parliaments = db.session.scalar(select(func.count(Parliament.id)))
    second = runner.invoke(args=["demo", "seed"])
    assert "0 topics, 0 parliaments, 0 people and 0 activities added" in second.output
    assert db.session.scalar(select(func.count(Person.id))) == people
    assert db.session.scalar(select(func.count(Parliament.id))) == parliaments
    roles = {p.email: p.role for p in db.session.scalars(select(Person))}
    assert roles["admin@example.org"] == Role.ADMIN
    assert roles["trainer@example.org"] == Role.TRAINER
    assert roles["focal@example.org"] == Role.FOCAL_POINT
    assert sum(1 for email in roles if email.startswith("learner")) == 3
    client = app.test_client()
    assert sign_in(client, "admin@example.org", "demo-gavel-2026").status_code == 302
    assert sign_in(app.test_client(), "learner1@example.org", "demo-learner-2026").status_code == 302


def test_demo_seed_has_a_newly_elected_member_who_is_invited_to_the_induction_course(app, runner):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    client = app.test_client()
    assert sign_in(client, "newmp@example.org", "demo-learner-2026").status_code == 302
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Welcome to parliament" in dashboard
    assert "Induction" in dashboard


def test_demo_seed_counts_are_totals_so_running_it_again_adds_nothing(app, runner):
    first = runner.invoke(args=["demo", "seed", "--no-courses", "--learners", "2", "--activities", "3"])
    assert first.exit_code == 0, first.output
    people, activities = count(Person), count(Activity)

    again = runner.invoke(args=["demo", "seed", "--no-courses", "--learners", "2", "--activities", "3"])
    assert "0 people and 0 activities added" in again.output
    assert (count(Person), count(Activity)) == (people, activities)

    more = runner.invoke(args=["demo", "seed", "--no-courses", "--learners", "5", "--activities", "4"])
    assert "3 people and 1 activities added" in more.output
    learners = db.session.scalars(select(Person.email).where(Person.email.like("learner%"))).all()
    assert sorted(learners) == [f"learner{n}@example.org" for n in range(1, 6)]
    assert count(Activity) == activities + 1


def test_demo_seed_reports_what_it_really_created(app, runner):
    result = runner.invoke(args=["demo", "seed", "--no-courses", "--learners", "2"])
    assert result.exit_code == 0, result.output
    assert (f"demo data ready: {count(Topic)} topics, {count(Parliament)} parliaments, {count(Person)} people "
            f"and {count(Activity)} activities added, with {count(NeedsRequest)} requests for support") in result.output
    # the accounts, the participants of past activities, the visiting delegation, the cycle's candidates,
    # the learners asked for, the expert roster
    assert count(Person) == 7 + 20 + len(DELEGATION) + len(CANDIDATES) + 2 + len(ROSTER)


def test_demo_seed_refuses_negative_counts(app, runner):
    for option in ("--activities", "--learners"):
        result = runner.invoke(args=["demo", "seed", "--no-courses", option, "-5"])
        assert result.exit_code == 2
        assert f"Invalid value for '{option}': -5 is not in the range x>=0" in result.output
        assert "added" not in result.output
    assert count(Person) == count(Activity) == 0


def test_setup_loads_the_reference_topics_and_parliaments_once(app, runner):
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert (f"reference data ready: {len(REFERENCE_TOPICS)} topics and {len(REFERENCE_PARLIAMENTS)} parliaments added"
            in first.output)
    again = runner.invoke(args=["setup"])
    assert "reference data ready: 0 topics and 0 parliaments added" in again.output
    assert count(Topic) == len(REFERENCE_TOPICS) and count(Parliament) == len(REFERENCE_PARLIAMENTS)
    assert count(Person) == count(Activity) == 0  # reference data only, nothing of the demo


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
