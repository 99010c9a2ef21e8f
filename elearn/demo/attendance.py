"""A demo workshop held these last days whose attendance nobody has taken yet: the trainer's next chore.

Built directly, as the scheduling services refuse sessions in the past; dated from today, so the trainer's
dashboard always has sessions awaiting attendance.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Audience,
    Modality,
    Registration,
    RegistrationState,
)

TITLE = "Follow-up workshop on committee reports"
TIMEZONE = "Africa/Banjul"
DAYS_AGO = (3, 2)
PARTICIPANTS = ("mp@example.org", "depute@example.org", "staff@example.org", "participant01@example.org",
                "participant02@example.org", "participant07@example.org")


def seed_unmarked_workshop() -> int:
    """Add the workshop once (its title marks it); returns the number of activities added."""
    if db.session.scalar(select(Activity.id).where(Activity.title == TITLE)) is not None:
        return 0
    trainer = db.session.scalar(select(Person).where(Person.email == "trainer@example.org"))
    people = db.session.scalars(select(Person).where(Person.email.in_(PARTICIPANTS)).order_by(Person.id)).all()
    if trainer is None or not people:
        return 0
    zone, today = ZoneInfo(TIMEZONE), utcnow().date()
    host = db.session.scalar(select(Parliament).where(Parliament.country_code == "GM").order_by(Parliament.id))
    activity = Activity(title=TITLE, modality=Modality.TRAINING_WORKSHOP, timezone=TIMEZONE, capacity=12,
                        languages=["en", "fr"], audience=Audience.BOTH, status=ActivityStatus.PUBLISHED,
                        description_md="Two days on drafting and following up committee reports.",
                        description_html="<p>Two days on drafting and following up committee reports.</p>",
                        venue_name="National Assembly building", venue_city="Banjul", trainers=[trainer],
                        host_parliament_id=host.id if host else None, created_by_id=trainer.id)
    activity.sessions = [ActivitySession(
        starts_at=datetime.combine(today - timedelta(days=days), time(9), zone).astimezone(ZoneInfo("UTC")),
        ends_at=datetime.combine(today - timedelta(days=days), time(16, 30), zone).astimezone(ZoneInfo("UTC")))
        for days in DAYS_AGO]
    activity.starts_at = activity.sessions[0].starts_at
    activity.ends_at = activity.sessions[-1].ends_at
    activity.published_at = activity.starts_at - timedelta(days=30)
    activity.registrations = [Registration(person_id=person.id, state=RegistrationState.CONFIRMED)
                              for person in people]
    db.session.add(activity)
    db.session.commit()
    return 1
