"""Demo alumni: four participants of past activities listed in the directory, each showing different parts of
their card, and one who keeps out of it. Added once (an entry already there is left as it is)."""
from __future__ import annotations

from sqlalchemy import select

from elearn.alumni.models import AlumniEntry
from elearn.alumni.services import is_alumnus
from elearn.extensions import db
from elearn.people.models import Person
from elearn.topics import Topic

# email -> (listed, the parts shown, topics of interest (slugs), short biography)
ALUMNI = {
    "participant01@example.org": (True, ("parliament", "topics", "activities", "bio", "email"),
                                  ("budget", "oversight"),
                                  "Clerk to the Public Accounts Committee. Happy to share how we prepared our first "
                                  "hearings on the audit report."),
    "participant10@example.org": (True, ("parliament", "activities"), (), ""),
    "participant16@example.org": (True, ("topics", "bio"), ("official-record",),
                                  "Député, rapporteur de la commission des finances. Intéressé par les échanges "
                                  "sur le compte rendu des débats."),
    "participant19@example.org": (True, ("email",), (), ""),
    "participant02@example.org": (False, ("parliament",), (), ""),
}


def seed_alumni() -> None:
    topics = {t.slug: t for t in db.session.scalars(select(Topic))}
    for email, (listed, shown, slugs, bio) in ALUMNI.items():
        person = db.session.scalar(select(Person).where(Person.email == email))
        if person is None or not is_alumnus(person):
            continue
        if db.session.scalar(select(AlumniEntry.id).where(AlumniEntry.person_id == person.id)):
            continue
        entry = AlumniEntry(person_id=person.id, listed=listed, bio=bio,
                            **{f"show_{part}": True for part in shown})
        entry.topics = [topics[slug] for slug in slugs if slug in topics]
        db.session.add(entry)
    db.session.commit()
