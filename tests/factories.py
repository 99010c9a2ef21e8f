"""Small factories: each makes one valid object with sensible defaults."""
from __future__ import annotations

import itertools

from elearn.access import Role
from elearn.extensions import db
from elearn.people.models import Parliament, Person, PersonKind
from elearn.people.services import set_password

PASSWORD = "a-long-test-passphrase"
_counter = itertools.count(1)


def make_parliament(**overrides) -> Parliament:
    n = next(_counter)
    values = dict(name_en=f"Parliament {n}", name_fr=f"Parlement {n}", country_code="GM",
                  chamber_name=f"Chamber {n}", receives_assistance=True, working_languages=["en"])
    values.update(overrides)
    parliament = Parliament(**values)
    db.session.add(parliament)
    db.session.commit()
    return parliament


def make_person(role: Role = Role.LEARNER, password: str | None = PASSWORD, **overrides) -> Person:
    n = next(_counter)
    values = dict(email=f"person{n}@example.org", full_name=f"Person {n}", kind=PersonKind.STAFF, role=role)
    values.update(overrides)
    if role == Role.FOCAL_POINT and "parliament" not in values and "parliament_id" not in values:
        values["parliament"] = make_parliament()
    person = Person(**values)
    if password:
        set_password(person, password)
    db.session.add(person)
    db.session.commit()
    return person
