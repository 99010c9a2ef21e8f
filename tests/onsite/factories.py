"""An activity with a session under way at a known moment, and confirmed participants holding tickets."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from elearn.access import Role
from elearn.extensions import db
from elearn.onsite import tickets
from elearn.scheduling import services
from tests import factories
from tests.scheduling.factories import make_activity


def session_times(activity) -> list[tuple[datetime, datetime]]:
    return [(s.starts_at, s.ends_at) for s in activity.sessions]


def two_day_activity(**overrides):
    """Two sessions a day apart, 09:00–12:00 in Paris, twenty days ahead."""
    first = (datetime.now().date() + timedelta(days=20))
    sessions = tuple(services.SessionInput(start_date=first + timedelta(days=n), start_time=time(9), end_time=time(12))
                     for n in range(2))
    values = dict(sessions=sessions, capacity=50)
    values.update(overrides)
    return make_activity(**values)


def participant(activity, **person):
    """A confirmed participant (through the registration service, so their ticket is issued) and their code."""
    someone = factories.make_person(Role.LEARNER, **person)
    outcome = services.register(activity.id, someone)
    registration = outcome.registration
    db.session.refresh(registration)
    return registration, tickets.ticket_of(registration).code
