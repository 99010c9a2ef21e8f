"""A seeded world for attacks on political sides: twelve members of known side, cells of 1 and 2.

The attacker knows everything here but SIDES (see test_differencing.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select

from elearn.extensions import db
from elearn.people.affiliations import record_change
from elearn.people.models import PersonKind, PoliticalSide
from elearn.reports.facts import COMPLETION_SOURCES
from elearn.scheduling.models import Modality
from elearn.topics import Topic, seed_topics
from tests.factories import make_parliament, make_person
from tests.reports.conftest import PRESENT
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_programme

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
RULING, OPPOSITION = PoliticalSide.RULING.value, PoliticalSide.OPPOSITION.value
SIDE_KEYS = [side.value for side in PoliticalSide]
SEMINAR, VISIT = Modality.SEMINAR, Modality.EXCHANGE_VISIT
NORTH = [f"N{n}" for n in range(1, 11)]
SIDES = {**{name: RULING for name in NORTH[:6]}, **{name: OPPOSITION for name in NORTH[6:]},
         "S1": RULING, "S2": OPPOSITION}
# (day, programme, modality, topic, members of parliament present); one session 09:00-12:00 each.
ACTIVITIES = [
    (date(2025, 6, 10), "alpha", SEMINAR, "committee-work", NORTH),
    (date(2025, 6, 11), "alpha", SEMINAR, "budget", ["S1"]),
    (date(2025, 9, 1), None, VISIT, "budget", ["N10", "S2"]),
    (date(2026, 2, 10), "alpha", SEMINAR, "committee-work", NORTH + ["S1"]),
    (date(2026, 2, 20), "alpha", VISIT, "budget", ["S2"]),
    (date(2026, 3, 5), "alpha", SEMINAR, "budget", ["N7", "S1"]),
    (date(2026, 5, 12), "beta", SEMINAR, "committee-work", NORTH[:9] + ["S2"]),
    (date(2026, 5, 20), "beta", VISIT, "budget", ["S1"]),
    (date(2026, 11, 10), "alpha", SEMINAR, "budget", ["N1"]),
]
FUNDERS = {"alpha": "European Union", "beta": "UNDP"}


@dataclass(frozen=True)
class World:
    """The seeded data, and what the attacker knows of it (ids, never sides)."""

    programmes: dict[str, int]
    parliaments: dict[str, int]
    topics: dict[str, int]
    parliament_of: dict[str, str]


def seed_world(app) -> World:
    seed_topics()
    topics = {t.slug: t for t in db.session.scalars(select(Topic))}
    north, south = make_parliament(name_en="North"), make_parliament(name_en="South")
    programmes = {key: make_programme(title=key.title(), funders=[funder]) for key, funder in FUNDERS.items()}
    people = {}
    for name, side in SIDES.items():
        person = make_person(full_name=name, kind=PersonKind.MP, password=None,
                             parliament=north if name.startswith("N") else south)
        record_change(person, PoliticalSide(side), date(2024, 1, 1), actor=None, today=date(2024, 1, 1))
        people[name] = person
    staff = make_person(full_name="Staff", kind=PersonKind.STAFF, password=None, parliament=north)
    for day, programme, modality, topic, present in ACTIVITIES:
        activity = make_held_activity([(datetime.combine(day, datetime.min.time()).replace(hour=9),
                                        datetime.combine(day, datetime.min.time()).replace(hour=12))],
                                      programme=programmes[programme] if programme else None,
                                      modality=modality, topics=[topics[topic]])
        for name in present:
            attend(activity, people[name], PRESENT)
        attend(activity, staff, PRESENT)
    app.extensions[COMPLETION_SOURCES] = []  # attendance only: completions follow the same rules
    return World(programmes={k: p.id for k, p in programmes.items()},
                 parliaments={"north": north.id, "south": south.id},
                 topics={slug: topics[slug].id for slug in ("committee-work", "budget")},
                 parliament_of={name: "north" if name.startswith("N") else "south" for name in SIDES})


