"""The demo's costs: planned and some actual cost lines for the working visit and the training cycle."""
from __future__ import annotations

from sqlalchemy import select

from elearn.delegations import costs
from elearn.delegations.costs import CostInput
from elearn.delegations.costs_models import CostLine
from elearn.demo.delegations import CYCLE_TITLE, VISIT_TITLE
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity

# category, payer, planned, actual ("" until the invoice is in), currency, description
VISIT_LINES = [
    ("travel", "programme", "5400", "5212.80", "EUR", "Return flights Abidjan–Paris for six"),
    ("stay", "host_parliament", "2700", "2700", "EUR", "Hotel, three nights for six"),
    ("per_diem", "programme", "2280", "", "EUR", "Per-diem, 95 EUR × 4 days × 6"),  # as in the logistics demo
    ("per_diem", "partner_parliament", "300000", "", "XOF", "Travel allowance paid in Abidjan"),
    ("interpretation", "host_parliament", "1800", "", "EUR", "French–English interpreters, one day"),
    ("venue", "host_parliament", "0", "0", "EUR", "Meeting rooms of the Assemblée nationale"),
]
CYCLE_LINES = [
    ("travel", "ministry", "27000", "", "EUR", "Return flights for thirty participants"),
    ("stay", "ministry", "36000", "", "EUR", "Residence, four weeks for thirty"),
    ("per_diem", "ministry", "18000", "", "EUR", "Per-diem, 30 EUR × 20 days × 30"),
    ("interpretation", "programme", "4500", "4320", "EUR", "Interpretation of the opening and closing days"),
    ("venue", "host_parliament", "2500", "2500", "EUR", "Training rooms and equipment"),
]


def seed_costs() -> None:
    """Cost lines for the demo visit and cycle, once: an activity that has lines already is left alone."""
    trainer = db.session.scalar(select(Person).where(Person.email == "trainer@example.org"))
    for title, lines in ((VISIT_TITLE, VISIT_LINES), (CYCLE_TITLE, CYCLE_LINES)):
        activity = db.session.scalar(select(Activity).where(Activity.title == title))
        if activity is None or db.session.scalar(select(CostLine.id).where(CostLine.activity_id == activity.id)):
            continue
        for category, payer, planned, actual, currency, description in lines:
            costs.add_line(activity, CostInput(category=category, payer=payer, planned_amount=planned,
                                               currency=currency, actual_amount=actual, description=description),
                           trainer)
