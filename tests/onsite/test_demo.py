"""The demo: every confirmed seat has a live ticket, whichever seed made it."""
import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.onsite.models import Ticket
from elearn.scheduling.models import Registration, RegistrationState


@pytest.mark.slow  # the whole demo seed: half a minute
def test_every_confirmed_seat_of_the_demo_has_a_live_ticket(app, runner):
    assert runner.invoke(args=["demo", "seed", "--no-courses"]).exit_code == 0

    confirmed = select(Registration.id).where(Registration.state == RegistrationState.CONFIRMED)
    live = select(Ticket.registration_id).where(Ticket.revoked_at.is_(None))
    assert db.session.scalar(select(func.count()).select_from(confirmed.subquery())) > 20
    assert db.session.scalars(confirmed.where(Registration.id.not_in(live))).all() == []
    assert db.session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.registration_id.not_in(confirmed), Ticket.revoked_at.is_(None))) == 0  # none for other states
