"""Feed tests: editing activities through the services, registrations, personal addresses."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from elearn.extensions import db
from elearn.feeds import services as feed_services
from elearn.scheduling import services
from elearn.scheduling.models import Activity, Registration, RegistrationState
from elearn.scheduling.services import SessionInput

UTC = timezone.utc
# A fixed "now" for tests whose dates are chosen around DST changes.
WINTER_2027 = datetime(2027, 1, 10, 12, tzinfo=UTC)


def edit(activity: Activity, **changes) -> None:
    services.update_activity(activity, services.activity_input(activity, **changes))


def session_on(day: date, start: int = 9, end: int = 17, title: str = "") -> SessionInput:
    return SessionInput(start_date=day, start_time=time(start), end_time=time(end), title=title)


def register(activity: Activity, person, state: RegistrationState) -> Registration:
    position = None
    if state == RegistrationState.WAITLISTED:
        position = 1 + sum(1 for r in activity.registrations if r.waitlist_position)
    registration = Registration(activity=activity, person=person, state=state, waitlist_position=position)
    db.session.add(registration)
    db.session.commit()
    return registration


@pytest.fixture
def personal_url(app):
    """`personal_url(person, include_tentative=False)` issues an address and returns its path."""

    def issue(person, include_tentative: bool = False) -> str:
        secret = feed_services.issue_token(person, include_tentative=include_tentative)
        return f"/feeds/{secret}.ics"

    return issue
