"""Cooperation pages in French name parliaments in French, also inside the shared commitment tables."""
import re
from datetime import datetime, timedelta

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from tests import factories
from tests.cooperation.factories import make_plan
from tests.helpers import sign_in, text
from tests.reports.factories import make_held_activity


def test_the_french_dashboard_names_the_parliament_of_an_overdue_commitment_in_french(client):
    gambia = factories.make_parliament(name_en="National Assembly of The Gambia", name_fr="Assemblée nationale de Gambie")
    start = datetime.combine(utcnow().date() - timedelta(days=120), datetime.min.time()).replace(hour=9)
    workshop = make_held_activity([(start, start.replace(hour=16))], title="Workshop on oversight", timezone="UTC")
    make_plan(workshop, gambia, agreed_on=utcnow().date() - timedelta(days=100))  # its commitments are overdue
    trainer = factories.make_person(Role.TRAINER, preferred_language="fr")
    db.session.commit()
    sign_in(client, trainer.email, factories.PASSWORD)

    board = text(client.get("/dashboard"))

    assert "Engagements en retard" in board
    assert "Assemblée nationale de Gambie" in board
    assert "National Assembly of The Gambia" not in board


def test_a_commitments_side_and_responsible_are_set_apart_the_french_way(client):
    from elearn.cooperation import services
    from elearn.cooperation.models import CommitmentOwner

    gambia = factories.make_parliament(name_fr="Assemblée nationale de Gambie")
    start = datetime.combine(utcnow().date() - timedelta(days=120), datetime.min.time()).replace(hour=9)
    workshop = make_held_activity([(start, start.replace(hour=16))], title="Workshop on oversight", timezone="UTC")
    due = utcnow().date() - timedelta(days=10)  # overdue: the follow-up page lists it too
    plan = make_plan(workshop, gambia, agreed_on=utcnow().date() - timedelta(days=100), commitments=(services.CommitmentInput(
        description="Adopt written rules", owner=CommitmentOwner.PARTNER, due_on=due, responsible="Committee clerk"),))
    trainer = factories.make_person(Role.TRAINER, preferred_language="fr")
    sign_in(client, trainer.email, factories.PASSWORD)
    for page in (text(client.get(f"/cooperation/action-plans/{plan.id}")), text(client.get("/cooperation/follow-up"))):
        assert "Parlement partenaire\u00a0: Committee clerk" in page, re.findall(r".{80}Committee clerk.{20}", page)
