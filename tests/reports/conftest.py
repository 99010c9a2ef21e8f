"""A small year of cooperation whose figures are counted by hand in the docstring below."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.people.affiliations import record_change
from elearn.people.models import Gender, PersonKind, PoliticalSide
from elearn.scheduling.models import AttendanceStatus, Modality
from elearn.topics import Topic, seed_topics
from tests.factories import make_parliament, make_person
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_programme

PRESENT, ABSENT, EXCUSED = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED
# After both activities; the report counts only activities that have started.
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def year(app):
    """Two activities and seven people.

    Activity A, 10 February 2026 in Paris, 09:00–16:30 (7.5 h, one day), programme "Alpha" (target 50 %),
    a seminar on committee work. Activity B, 10–11 April 2026 in Banjul, all day (2 days, 14 h),
    programme "Beta" (funded by UNDP, no target), an exchange visit on the budget.

    | person | parliament | kind  | gender     | side                                   | A       | B       |
    | X      | North      | MP    | woman      | ruling, opposition from 1 March 2026   | present | present |
    | R1, R2 | North      | MP    | man        | ruling                                 | present | present |
    | R3     | North      | MP    | man        | ruling                                 | present | —       |
    | O1     | South      | MP    | not stated | opposition                             | —       | present |
    | S1     | South      | staff | woman      | —                                      | present | absent  |
    | S2     | North      | staff | not stated | —                                      | excused | —       |

    Participations: A 5 (X, R1, R2, R3, S1), B 4 (X, R1, R2, O1): 9, by 6 people, 13 participant-days
    (5 × 1 + 4 × 2), 93.5 hours (5 × 7.5 + 4 × 14). X counts as ruling at A and as opposition at B.
    """
    seed_topics()
    topics = {t.slug: t for t in db.session.scalars(select(Topic))}
    north = make_parliament(name_en="North Assembly", name_fr="Assemblée du Nord", country_code="NA")
    south = make_parliament(name_en="South Parliament", name_fr="Parlement du Sud", country_code="SA")
    alpha = make_programme(title="Alpha", funders=["European Union"], women_target_percent=50)
    beta = make_programme(title="Beta", funders=["UNDP"])
    a = make_held_activity([(datetime(2026, 2, 10, 9), datetime(2026, 2, 10, 16, 30))], title="Activity A",
                           programme=alpha, topics=[topics["committee-work"]])
    b = make_held_activity([(datetime(2026, 4, 10), datetime(2026, 4, 12))], all_day=True, timezone="Africa/Banjul",
                           title="Activity B", programme=beta, modality=Modality.EXCHANGE_VISIT,
                           topics=[topics["budget"]])

    def member(name, parliament, gender, *changes):
        person = make_person(full_name=name, kind=PersonKind.MP, gender=gender, parliament=parliament)
        for side, effective_from in changes:
            record_change(person, side, effective_from, actor=None, today=date(2026, 6, 1))
        return person

    ruling, opposition = PoliticalSide.RULING, PoliticalSide.OPPOSITION
    x = member("Xenia Switcher", north, Gender.WOMAN, (ruling, date(2025, 1, 1)), (opposition, date(2026, 3, 1)))
    r1, r2, r3 = (member(f"Ruling {n}", north, Gender.MAN, (ruling, date(2025, 1, 1))) for n in (1, 2, 3))
    o1 = member("Omar Ousmane", south, None, (opposition, date(2025, 6, 1)))
    s1 = make_person(full_name="Sara Staff", kind=PersonKind.STAFF, gender=Gender.WOMAN, parliament=south)
    s2 = make_person(full_name="Sam Staff", kind=PersonKind.STAFF, gender=None, parliament=north)
    for person in (x, r1, r2, r3, s1):
        attend(a, person, PRESENT)
    attend(a, s2, EXCUSED)
    for person in (x, r1, r2, o1):
        attend(b, person, PRESENT)
    attend(b, s1, ABSENT)
    return {"a": a, "b": b, "north": north, "south": south, "alpha": alpha, "beta": beta, "x": x, "o1": o1,
            "topics": topics}


@pytest.fixture
def world(app):
    """Twelve members of known side for the attacks on sides (side_world.py)."""
    from tests.reports.side_world import seed_world

    return seed_world(app)
