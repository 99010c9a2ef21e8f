"""`flask demo seed`: demo accounts (and, as features land, demo content)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from elearn.access import Role
from elearn.extensions import db
from elearn.learning.importing import CourseProblems, import_path
from elearn.people import services
from elearn.people.models import Gender, Parliament, Person, PersonKind, PoliticalSide
from elearn.people.parliaments import seed_parliaments

demo_cli = AppGroup("demo", help="Demo data for trying Hemicycle out.")

# Listed in README.md; for demonstrations only.
DEMO_ACCOUNTS = [
    # email, password, name, role, kind, country, gender, side
    ("admin@example.org", "demo-admin-2026", "Ada Administrator", Role.ADMIN, PersonKind.OFFICER, "FR", Gender.WOMAN, None),
    ("trainer@example.org", "demo-trainer-2026", "Théo Trainer", Role.TRAINER, PersonKind.OFFICER, "FR", Gender.MAN, None),
    ("focal@example.org", "demo-focal-2026", "Fatou Focal", Role.FOCAL_POINT, PersonKind.STAFF, "GM", Gender.WOMAN, None),
    ("mp@example.org", "demo-learner-2026", "Lamin Member", Role.LEARNER, PersonKind.MP, "GM", Gender.MAN, PoliticalSide.OPPOSITION),
    ("staff@example.org", "demo-learner-2026", "Sonam Clerk", Role.LEARNER, PersonKind.STAFF, "BT", None, None),
    ("depute@example.org", "demo-learner-2026", "Aïcha Députée", Role.LEARNER, PersonKind.MP, "NE", Gender.WOMAN, PoliticalSide.RULING),
]
DEMO_TIMEZONES = {"FR": "Europe/Paris", "GM": "Africa/Banjul", "BT": "Asia/Thimphu", "NE": "Africa/Niamey",
                  "MW": "Africa/Blantyre", "PA": "America/Panama"}
LEARNER_PASSWORD = "demo-learner-2026"


def _parliament_by_country() -> dict[str, Parliament]:
    result: dict[str, Parliament] = {}
    for parliament in db.session.scalars(select(Parliament).order_by(Parliament.id)):
        result.setdefault(parliament.country_code, parliament)
    return result


def seed_people(extra_learners: int = 0) -> int:
    """Create the demo accounts that are missing and `extra_learners` numbered learners."""
    parliaments = _parliament_by_country()
    created = 0
    for email, password, name, role, kind, country, gender, side in DEMO_ACCOUNTS:
        if services.find_by_email(email):
            continue
        data = services.PersonData(
            email=email, full_name=name, kind=kind, role=role, parliament_id=parliaments[country].id,
            preferred_language="fr" if country in {"FR", "NE"} else "en",
            timezone=DEMO_TIMEZONES[country], gender=gender, political_side=side,
            position="Committee on Public Accounts" if kind == PersonKind.MP else "",
        )
        services.create_person(data, password=password)
        created += 1
    if extra_learners:
        partner_codes = ["GM", "MW", "BT", "PA", "NE"]
        existing = set(db.session.scalars(select(Person.email).where(Person.email.like("learner%@example.org"))))
        # One hash for all of them: hashing is deliberately slow, and they share a password.
        shared_hash = generate_password_hash(LEARNER_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
        number, added = 1, 0
        while added < extra_learners:
            email = f"learner{number}@example.org"
            number += 1
            if email in existing:
                continue
            country = partner_codes[number % len(partner_codes)]
            person = Person(email=email, full_name=f"Learner {number - 1}", kind=PersonKind.STAFF,
                            role=Role.LEARNER, parliament_id=parliaments[country].id,
                            timezone=DEMO_TIMEZONES[country])
            person.password_hash = shared_hash
            db.session.add(person)
            added += 1
        db.session.commit()
        created += added
    return created


def seed_courses() -> str:
    """Import the courses in courses/ (unchanged ones are skipped)."""
    from pathlib import Path

    try:
        results = import_path(Path(current_app.config["COURSES_PATH"]))
    except CourseProblems as error:
        raise click.ClickException("the course files have problems (run `flask courses check`):\n"
                                   + "\n".join(str(p) for p in error.problems)) from None
    created = sum(1 for r in results if r.status != "unchanged")
    return f"{len(results)} courses ({created} imported or updated)"


@demo_cli.command("seed")
@click.option("--learners", default=0, show_default=True, help="Also create this many numbered learners.")
@click.option("--activities", default=0, show_default=True, help="Also create this many plain activities.")
@click.option("--courses/--no-courses", default=True, show_default=True, help="Import the courses in courses/.")
def seed(learners: int, activities: int, courses: bool):
    """Load demo data; running it again adds only what is missing."""
    from elearn.demo.cooperation import seed_cooperation
    from elearn.demo.schedule import seed_schedule

    parliaments = seed_parliaments()
    people = seed_people(learners)
    scheduled = seed_schedule(activities)
    requests = seed_cooperation()
    click.echo(f"demo data ready: {parliaments} parliaments, {people} people and {scheduled} activities added, "
               f"with {requests} requests for support")
    if courses:
        click.echo(seed_courses())
