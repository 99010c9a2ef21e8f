"""Factories for programmes and activities, built through the services (so the rules apply)."""
from __future__ import annotations

import itertools
from datetime import time, timedelta

from elearn.database import utcnow
from elearn.extensions import db
from elearn.scheduling import services
from elearn.scheduling.models import Activity, ActivityStatus, Audience, Modality, Programme, ProgrammeKind

_counter = itertools.count(1)


def make_programme(**overrides) -> Programme:
    n = next(_counter)
    values = dict(slug=f"programme-{n}", title=f"Programme {n}", kind=ProgrammeKind.BILATERAL, funders=["EU"])
    values.update(overrides)
    programme = Programme(**values)
    db.session.add(programme)
    db.session.commit()
    return programme


def one_session(days_ahead: int = 20, start: time = time(9), end: time = time(17), length_days: int = 1,
                all_day: bool = False) -> tuple[services.SessionInput, ...]:
    first = utcnow().date() + timedelta(days=days_ahead)
    if all_day:
        return (services.SessionInput(start_date=first, end_date=first + timedelta(days=length_days - 1), all_day=True),)
    return (services.SessionInput(start_date=first, start_time=start, end_time=end),)


def make_activity(*, status: ActivityStatus = ActivityStatus.PUBLISHED, programme: Programme | None = None,
                  sessions=None, **overrides) -> Activity:
    n = next(_counter)
    values = dict(title=f"Activity {n}", modality=Modality.SEMINAR, timezone="Europe/Paris",
                  sessions=sessions or one_session(), capacity=10, audience=Audience.BOTH,
                  programme_id=programme.id if programme else None, venue_name="Room A", venue_city="Paris")
    values.update(overrides)
    activity = services.create_activity(services.ActivityInput(**values))
    if status != ActivityStatus.DRAFT:
        services.set_status(activity, ActivityStatus.PUBLISHED)
        if status != ActivityStatus.PUBLISHED:
            services.set_status(activity, status)
    return activity
