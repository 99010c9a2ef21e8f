"""The demo's institutions directory and the working visit's three-day agenda, seeded once."""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.delegations import agenda
from elearn.delegations.agenda_models import AgendaItem, Institution
from elearn.demo.delegations import VISIT_TITLE
from elearn.extensions import db
from elearn.people.models import PersonKind
from elearn.scheduling.models import Activity


def test_the_demo_visit_has_a_three_day_agenda_and_seeding_again_adds_nothing(app, runner):
    assert runner.invoke(args=["demo", "seed", "--learners", "1"]).exit_code == 0
    names = set(db.session.scalars(select(Institution.name)))
    assert {"Senate", "Constitutional Council", "Council of State", "General Secretariat of the Government",
            "Ministry of Economy and Finance", "Court of Audit"} <= names
    visit = db.session.scalar(select(Activity).where(Activity.title == VISIT_TITLE))
    items = agenda.activity_items(visit)
    days = agenda.by_day(items)
    assert len(days) == 3 and all(2 <= len(day_items) <= 3 for _, day_items in days)
    subset = [item for item in items if not item.for_everyone]
    assert len(subset) == 1
    assert {r.person.kind for r in subset[0].participants} == {PersonKind.MP}
    assert all(item.institution and item.institution.address for item in items)

    before = (db.session.scalar(select(func.count()).select_from(AgendaItem)),
              db.session.scalar(select(func.count()).select_from(Institution)))
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert (db.session.scalar(select(func.count()).select_from(AgendaItem)),
            db.session.scalar(select(func.count()).select_from(Institution))) == before
