"""The demo's call for applications: the French-language cycle's call, with 30 candidates from 15 parliaments.

A few are selected, a few waitlisted, one declined with a reason, the rest wait for a decision;
the deadline is a month ahead so that the demo accounts can still apply. Re-runs add nothing.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from elearn.access import Role
from elearn.database import utcnow
from elearn.delegations import calls, selection
from elearn.delegations.calls_models import ApplicationStatus, StandardQuestion
from elearn.demo.delegations import CYCLE_TITLE, VISIT_PASSWORD
from elearn.extensions import db
from elearn.people.affiliations import set_current_side
from elearn.people.models import Gender, Parliament, Person, PersonKind, PoliticalSide
from elearn.scheduling.models import Activity

W, M = Gender.WOMAN, Gender.MAN
MP, STAFF = PersonKind.MP, PersonKind.STAFF
RULING, OPPOSITION = PoliticalSide.RULING, PoliticalSide.OPPOSITION

# country, name, gender, kind, side (members only), language; two candidates per parliament.
CANDIDATES = [
    ("CI", "Adjoua Yapi", W, MP, OPPOSITION, "fr"), ("CI", "Ibrahim Ouattara", M, STAFF, None, "fr"),
    ("GW", "Domingas Cá", W, STAFF, None, "fr"), ("GW", "Braima Baldé", M, MP, RULING, "fr"),
    ("NE", "Hadiza Moussa", W, MP, RULING, "fr"), ("NE", "Issoufou Garba", M, STAFF, None, "fr"),
    ("MR", "Mariem Mint Ahmed", W, STAFF, None, "fr"), ("MR", "Sidi Ould Cheikh", M, MP, OPPOSITION, "fr"),
    ("MG", "Voahangy Rakoto", W, MP, OPPOSITION, "fr"), ("MG", "Hery Andrianina", M, STAFF, None, "fr"),
    ("HT", "Marie-Carmel Joseph", W, STAFF, None, "fr"), ("HT", "Jean-Robert Pierre", M, MP, RULING, "fr"),
    ("LB", "Rana Haddad", W, MP, RULING, "fr"), ("LB", "Karim Khoury", M, STAFF, None, "en"),
    ("MD", "Ana Ciobanu", W, STAFF, None, "en"), ("MD", "Ion Rusu", M, MP, OPPOSITION, "en"),
    ("GM", "Isatou Jallow", W, MP, RULING, "en"), ("GM", "Ousman Ceesay", M, STAFF, None, "en"),
    ("BT", "Pema Choden", W, STAFF, None, "en"), ("BT", "Tshering Dorji", M, MP, RULING, "en"),
    ("MW", "Chikondi Banda", W, MP, OPPOSITION, "en"), ("MW", "Mphatso Phiri", M, STAFF, None, "en"),
    ("ME", "Jelena Vuković", W, STAFF, None, "en"), ("ME", "Marko Popović", M, MP, OPPOSITION, "en"),
    ("LY", "Amal Ben Saleh", W, STAFF, None, "en"), ("LY", "Omar Al-Mabrouk", M, MP, RULING, "fr"),
    ("PE", "Rosa Quispe", W, MP, RULING, "en"), ("PE", "Luis Mendoza", M, STAFF, None, "en"),
    ("BO", "Carmen Mamani", W, STAFF, None, "en"), ("BO", "Evo Choque", M, MP, OPPOSITION, "en"),
]
# By index in CANDIDATES: the decisions already taken.
SELECTED = (0, 3, 4, 7, 10, 16, 20, 21)
WAITLISTED = (9, 12, 23, 27)
DECLINED = {14: "Your current position is not close enough to the cycle's subject; we hope to see you "
                "apply to the English-language cycle."}

ANSWERS = {
    "motivation": "I support the committee that examines the budget and want to compare how the "
                  "French Parliament organises its oversight work.",
    "current_position": "Works in the committee secretariat of the {parliament}.",
    "languages": "French (working), English (good)",
    "prior_training": "A regional seminar on budget oversight in 2025.",
}


def _email(name: str) -> str:
    local = "".join(c for c in name.lower().replace(" ", ".").replace("'", "") if c.isascii() and (c.isalnum() or c in ".-"))
    return f"cycle.{local}@example.org"


def _candidate(row, parliaments: dict[str, Parliament], shared_hash: str) -> Person | None:
    country, name, gender, kind, side, language = row
    person = db.session.scalar(select(Person).where(Person.email == _email(name)))
    if person is not None or country not in parliaments:
        return person
    person = Person(email=_email(name), full_name=name, kind=kind, gender=gender, role=Role.LEARNER,
                    parliament_id=parliaments[country].id, preferred_language=language, password_hash=shared_hash,
                    position="Member of parliament" if kind == MP else "Committee clerk")
    db.session.add(person)
    if side is not None:
        set_current_side(person, side, actor=None)  # in force from today: the cycle's date reads it
    return person


def _answers(call, person: Person) -> dict[str, str]:
    name = person.parliament.name_en if person.parliament else "parliament"
    given = {key: ANSWERS.get(key, "Yes.").format(parliament=name) for key, _text in calls.questions(call)}
    if person.kind == MP and "current_position" in given:
        given["current_position"] = f"Member of the {name}, sitting on its finance committee."
    for question in call.questions:
        given[question.key] = "The committee on finance and the budget."
    return given


def seed_calls() -> None:
    cycle = db.session.scalar(select(Activity).where(Activity.title == CYCLE_TITLE))
    if cycle is None or calls.call_of(cycle.id) is not None:
        return
    trainer = cycle.trainers[0] if cycle.trainers else None
    now = utcnow()
    call = calls.save_call(cycle, calls.CallInput(
        opens_at=now - timedelta(days=14), deadline=min(now + timedelta(days=30), cycle.starts_at - timedelta(days=1)),
        intro=("Members and civil servants of partner parliaments working in French may apply. The selection "
               "looks for a balance of parliaments, women and men, members and staff, majority and opposition."),
        standard_questions=tuple(q.value for q in StandardQuestion),
        custom_questions=("Which committee or service do you work for?",)),
        calls.TargetInput(women_min_percent=40, max_per_parliament=2, both_sides_required=True), actor=trainer)
    parliaments: dict[str, Parliament] = {}
    for parliament in db.session.scalars(select(Parliament).order_by(Parliament.id)):
        parliaments.setdefault(parliament.country_code, parliament)
    shared_hash = generate_password_hash(VISIT_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
    people = [_candidate(row, parliaments, shared_hash) for row in CANDIDATES]
    db.session.commit()
    applications = {}
    for index, person in enumerate(people):
        if person is not None and calls.existing(call, person) is None:
            applications[index] = calls.apply(call, person, _answers(call, person))
    decisions = ([(i, ApplicationStatus.SELECTED, "") for i in SELECTED]
                 + [(i, ApplicationStatus.WAITLISTED, "") for i in WAITLISTED]
                 + [(i, ApplicationStatus.DECLINED, reason) for i, reason in DECLINED.items()])
    for index, decision, reason in decisions:
        if index in applications:
            selection.decide(applications[index], decision, reason, actor=trainer)
