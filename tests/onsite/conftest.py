"""On-site fixtures: an activity with its own trainer, and confirmed participants."""
from __future__ import annotations

import pytest

from elearn.access import Role
from elearn.scheduling import services
from tests.factories import make_parliament, make_person
from tests.mail.conftest import smtp_server  # noqa: F401  (the loopback SMTP server fixture)
from tests.scheduling.factories import make_activity


@pytest.fixture
def seminar(people):
    """A published seminar in twenty days that the sample trainer trains, with room for ten."""
    return make_activity(title="Budget oversight seminar", trainer_ids=(people["trainer"].id,), capacity=10)


@pytest.fixture
def other_trainer():
    return make_person(Role.TRAINER, email="other.trainer@example.org")


def confirm(activity, **person_values):
    """A new person registered (and so confirmed, seats being free) at `activity`; their registration."""
    person = make_person(**person_values)
    outcome = services.register(activity.id, person)
    return outcome.registration


@pytest.fixture
def gambia():
    return make_parliament(name_en="National Assembly of The Gambia", name_fr="Assemblée nationale de Gambie")
