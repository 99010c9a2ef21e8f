"""The demo's travel and stay for the working visit: filled in once, as described, and not again."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from elearn.delegations.logistics_models import Logistics, Payer
from elearn.demo import seed_people
from elearn.demo.delegations import VISIT_TITLE, seed_delegations
from elearn.demo.logistics import seed_logistics
from elearn.extensions import db
from elearn.people.reference_data import seed_reference_data
from elearn.scheduling.models import Activity


def test_the_visit_gets_its_logistics_once(app):
    seed_reference_data()
    seed_people()
    seed_delegations()

    seed_logistics()
    seed_logistics()

    visit = db.session.scalar(select(Activity).where(Activity.title == VISIT_TITLE))
    rows = db.session.scalars(select(Logistics)).all()
    assert len(rows) == 6 and {row.registration.activity_id for row in rows} == {visit.id}
    first_day = visit.sessions[0].local_start.date()
    for row in rows:
        assert row.arrival_reference == "AF 703" and row.per_diem_currency == "EUR"
        assert row.arrival_at.astimezone(visit.zone).date() == first_day - timedelta(days=1)
        assert (row.travel_paid_by, row.stay_paid_by) == (Payer.PROGRAMME, Payer.HOST_PARLIAMENT)
        assert "Paris" in row.hotel_address
    with_visa = [row for row in rows if row.visa_needed]
    assert len(with_visa) == 2 and all(row.passport_number and row.passport_country == "CI" for row in with_visa)
    assert db.session.scalar(select(func.count(Logistics.id)).where(Logistics.dietary_needs != "")) == 1
