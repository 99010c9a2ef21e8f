"""`flask demo seed`: demo accounts (and, as features land, demo content)."""
from __future__ import annotations

from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from elearn.access import Role
from elearn.cooperation.models import NeedsRequest
from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.importing import CourseProblems, import_path
from elearn.people import services
from elearn.people.models import Gender, Parliament, Person, PersonKind, PoliticalSide
from elearn.people.reference_data import seed_reference_data
from elearn.scheduling.models import Activity
from elearn.terminal import failure, say
from elearn.topics import Topic

demo_cli = AppGroup("demo", help="Demo data for trying Hemicycle out.")

# Listed in README.md; for demonstrations only. The password policy refuses a password holding the address's
# own words, so admin@ cannot have demo-admin-….
DEMO_ACCOUNTS = [
    # email, password, name, role, kind, country, gender, side
    ("admin@example.org", "demo-gavel-2026", "Ada Administrator", Role.ADMIN, PersonKind.OFFICER, "FR", Gender.WOMAN, None),
    ("trainer@example.org", "demo-lectern-2026", "Théo Trainer", Role.TRAINER, PersonKind.OFFICER, "FR", Gender.MAN, None),
    ("focal@example.org", "demo-bridge-2026", "Fatou Focal", Role.FOCAL_POINT, PersonKind.STAFF, "GM", Gender.WOMAN, None),
    ("mp@example.org", "demo-learner-2026", "Lamin Member", Role.LEARNER, PersonKind.MP, "GM", Gender.MAN, PoliticalSide.OPPOSITION),
    ("staff@example.org", "demo-learner-2026", "Sonam Clerk", Role.LEARNER, PersonKind.STAFF, "BT", None, None),
    ("depute@example.org", "demo-learner-2026", "Aïcha Députée", Role.LEARNER, PersonKind.MP, "NE", Gender.WOMAN, PoliticalSide.RULING),
    ("newmp@example.org", "demo-learner-2026", "Grace Newmember", Role.LEARNER, PersonKind.MP, "MW", Gender.WOMAN, PoliticalSide.RULING),
]
# Whose term started this many days before the seed ran: a newly elected member, so that the demo shows the
# invitation to the induction course (learning/induction.py).
TERM_STARTED_DAYS_AGO = {"newmp@example.org": 60}
DEMO_TIMEZONES = {"FR": "Europe/Paris", "GM": "Africa/Banjul", "BT": "Asia/Thimphu", "NE": "Africa/Niamey",
                  "MW": "Africa/Blantyre", "PA": "America/Panama"}
LEARNER_PASSWORD = "demo-learner-2026"


def _parliament_by_country() -> dict[str, Parliament]:
    result: dict[str, Parliament] = {}
    for parliament in db.session.scalars(select(Parliament).order_by(Parliament.id)):
        result.setdefault(parliament.country_code, parliament)
    return result


def seed_people(learners: int = 0) -> None:
    """Create the demo accounts that are missing, and numbered learners up to `learners` in all."""
    parliaments = _parliament_by_country()
    for email, password, name, role, kind, country, gender, side in DEMO_ACCOUNTS:
        if services.find_by_email(email):
            continue
        data = services.PersonData(
            email=email, full_name=name, kind=kind, role=role, parliament_id=parliaments[country].id,
            preferred_language="fr" if country in {"FR", "NE"} else "en",
            timezone=DEMO_TIMEZONES[country], gender=gender, political_side=side,
            position="Committee on Public Accounts" if kind == PersonKind.MP else "",
            term_started_on=_term_start(email),
        )
        services.create_person(data, password=password)
    _seed_numbered_learners(learners, parliaments)


def _term_start(email: str) -> date | None:
    days_ago = TERM_STARTED_DAYS_AGO.get(email)
    return None if days_ago is None else utcnow().date() - timedelta(days=days_ago)


def _seed_numbered_learners(total: int, parliaments: dict[str, Parliament]) -> None:
    """learner1@example.org … learner<total>@example.org: a total, so that running the seed again adds none."""
    partner_codes = ["GM", "MW", "BT", "PA", "NE"]
    existing = set(db.session.scalars(select(Person.email).where(Person.email.like("learner%@example.org"))))
    missing = [number for number in range(1, total + 1) if f"learner{number}@example.org" not in existing]
    if not missing:
        return
    # One hash for all of them: hashing is deliberately slow, and they share a password.
    shared_hash = generate_password_hash(LEARNER_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
    for number in missing:
        country = partner_codes[number % len(partner_codes)]
        person = Person(email=f"learner{number}@example.org", full_name=f"Learner {number}", kind=PersonKind.STAFF,
                        role=Role.LEARNER, parliament_id=parliaments[country].id, timezone=DEMO_TIMEZONES[country])
        person.password_hash = shared_hash
        db.session.add(person)
    db.session.commit()


def seed_courses() -> str:
    """Import the courses in courses/ (unchanged ones are skipped)."""
    from pathlib import Path

    try:
        results = import_path(Path(current_app.config["COURSES_PATH"]))
    except CourseProblems as error:
        raise failure(_l("the course files have problems (run `flask courses check`):\n%(problems)s",
                         problems="\n".join(str(p) for p in error.problems))) from None
    created = sum(1 for r in results if r.status != "unchanged")
    return _l("%(courses)d courses (%(created)d imported or updated)", courses=len(results), created=created)


# What the summary counts, by the name it gives them: rows before and after the seed, so it reports what
# was really added, whichever part of the demo added it.
COUNTED = {"topics": Topic, "parliaments": Parliament, "people": Person, "activities": Activity,
           "requests for support": NeedsRequest}


def _counts() -> dict[str, int]:
    return {name: db.session.scalar(select(func.count()).select_from(model)) for name, model in COUNTED.items()}


@demo_cli.command("seed")
@click.option("--learners", default=0, show_default=True, type=click.IntRange(min=0),
              help="Numbered learners to have in all (learner1@example.org …); re-runs add only the missing ones.")
@click.option("--activities", default=0, show_default=True, type=click.IntRange(min=0),
              help="Plain scale-test activities to have in all; re-runs add only the missing ones.")
@click.option("--courses/--no-courses", default=True, show_default=True, help="Import the courses in courses/.")
def seed(learners: int, activities: int, courses: bool):
    """Load demo data; running it again adds only what is missing."""
    from elearn.demo.agenda import seed_agenda
    from elearn.demo.alumni import seed_alumni
    from elearn.demo.assistance import seed_assistance
    from elearn.demo.attendance import seed_unmarked_workshop
    from elearn.demo.balance import seed_balance
    from elearn.demo.calls import seed_calls
    from elearn.demo.cooperation import seed_cooperation
    from elearn.demo.costs import seed_costs
    from elearn.demo.dashboards import seed_dashboards
    from elearn.demo.delegations import seed_delegations
    from elearn.demo.gain import seed_gain
    from elearn.demo.indicators import seed_indicators
    from elearn.demo.letters import seed_letters
    from elearn.demo.library import seed_library
    from elearn.demo.logistics import seed_logistics
    from elearn.demo.mentoring import seed_mentoring
    from elearn.demo.mentoring_meetings import seed_mentoring_meetings
    from elearn.demo.missions import seed_missions
    from elearn.demo.placements import seed_placements
    from elearn.demo.questionnaires import seed_questionnaires
    from elearn.demo.schedule import seed_schedule

    before = _counts()
    seed_reference_data()
    seed_people(learners)
    seed_schedule(activities)
    seed_cooperation()
    seed_unmarked_workshop()
    seed_delegations()
    seed_calls()
    seed_agenda()
    seed_logistics()
    seed_letters()  # after the logistics: letters go to those who need a visa
    seed_costs()
    seed_questionnaires()
    seed_indicators()
    seed_balance()
    seed_missions()
    seed_mentoring()
    seed_mentoring_meetings()  # after the mentoring pairs: adds meetings to the active and ended ones
    seed_placements()
    seed_library()  # after the pairs: one resource is shared with a pair
    seed_alumni()
    seed_assistance()
    added = {name: count - before[name] for name, count in _counts().items()}
    say(_l("demo data ready: %(topics)d topics, %(parliaments)d parliaments, %(people)d people and %(activities)d "
           "activities added, with %(requests)d requests for support", topics=added["topics"],
           parliaments=added["parliaments"], people=added["people"], activities=added["activities"],
           requests=added["requests for support"]))
    if courses:
        say(seed_courses())
    seed_dashboards()  # after the courses: the demo learners follow some of them
    seed_gain()  # after the courses: the learning test is one of their quizzes
    from elearn.demo.tickets import seed_tickets

    seed_tickets()  # last: every confirmed seat, however a seed made it, has its ticket
