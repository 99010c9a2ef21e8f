"""The demo issues letters to the working visit's participants who need a visa, once."""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.delegations.letters_models import InvitationLetter
from elearn.delegations.logistics_models import Logistics, Payer
from elearn.demo import seed_people, seed_reference_data
from elearn.demo.delegations import VISIT_TITLE, seed_delegations
from elearn.demo.letters import seed_letters
from elearn.extensions import db
from elearn.scheduling.models import Activity, Registration, RegistrationState


def test_letters_go_to_those_who_need_a_visa_and_re_runs_add_none(app):
    assert seed_letters() == 0  # no visit yet
    seed_reference_data()
    seed_people()
    seed_delegations()
    assert seed_letters() == 0  # no logistics yet: nothing to state
    visit = db.session.scalar(select(Activity).where(Activity.title == VISIT_TITLE))
    confirmed = db.session.scalars(select(Registration).where(
        Registration.activity_id == visit.id, Registration.state == RegistrationState.CONFIRMED)
        .order_by(Registration.id)).all()
    assert len(confirmed) >= 3
    for n, registration in enumerate(confirmed[:3]):
        db.session.add(Logistics(registration=registration, travel_paid_by=Payer.PROGRAMME,
                                 stay_paid_by=Payer.HOST_PARLIAMENT, visa_needed=n < 2, passport_number=f"P{n}"))
    db.session.commit()
    assert seed_letters() == 4  # two participants, in English and French
    letters = db.session.scalars(select(InvitationLetter)).all()
    assert {letter.registration_id for letter in letters} == {confirmed[0].id, confirmed[1].id}
    assert all(letter.issued_by_id == visit.trainers[0].id for letter in letters)
    assert seed_letters() == 0
    assert db.session.scalar(select(func.count(InvitationLetter.id))) == 4
