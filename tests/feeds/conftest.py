"""Feed tests: editing activities through the services, registrations, personal addresses."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from elearn.extensions import db
from elearn.feeds import services as feed_services
from elearn.scheduling import services
from elearn.scheduling.models import Activity, Registration, RegistrationState
from elearn.scheduling.services import ActivityInput, SessionInput

UTC = timezone.utc
# A fixed "now" for tests whose dates are chosen around DST changes.
WINTER_2027 = datetime(2027, 1, 10, 12, tzinfo=UTC)


def activity_input(activity: Activity, **overrides) -> ActivityInput:
    """The activity as its edit form would send it back, with some fields changed."""
    sessions = []
    for session in activity.sessions:
        start, end = session.local_start, session.local_end
        if session.all_day:
            # Stored as local midnight after the last day.
            sessions.append(SessionInput(start_date=start.date(), end_date=end.date() - timedelta(days=1),
                                         all_day=True, title=session.title))
        else:
            sessions.append(SessionInput(start_date=start.date(), end_date=end.date(), start_time=start.time(),
                                         end_time=end.time(), title=session.title))
    values = dict(
        title=activity.title, modality=activity.modality, timezone=activity.timezone, sessions=tuple(sessions),
        description_md=activity.description_md, programme_id=activity.programme_id,
        languages=tuple(activity.languages), audience=activity.audience,
        topic_ids=tuple(t.id for t in activity.topics), host_parliament_id=activity.host_parliament_id,
        invited_parliament_ids=tuple(p.id for p in activity.invited_parliaments),
        trainer_ids=tuple(p.id for p in activity.trainers), venue_name=activity.venue_name,
        venue_address=activity.venue_address, venue_city=activity.venue_city,
        venue_country=activity.venue_country, online_url=activity.online_url, capacity=activity.capacity)
    values.update(overrides)
    return ActivityInput(**values)


def edit(activity: Activity, **changes) -> None:
    services.update_activity(activity, activity_input(activity, **changes))


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
