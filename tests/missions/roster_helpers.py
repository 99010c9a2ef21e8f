"""Helpers of the roster tests (local to them: other parts keep their own)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.missions import roster
from elearn.missions.models import LanguageLevel, MissionTeamMember, TeamRole
from elearn.scheduling.models import Activity, ActivityStatus, Modality
from elearn.topics import Topic, seed_topics
from tests import factories


def topics() -> dict[str, Topic]:
    if not db.session.scalar(select(Topic.id).limit(1)):
        seed_topics()
        db.session.commit()
    return {t.slug: t for t in db.session.scalars(select(Topic))}


def assisting_parliament(**overrides):
    values = dict(gives_assistance=True, receives_assistance=False, country_code="FR")
    values.update(overrides)
    return factories.make_parliament(**values)


def expert(parliament, name="Expert", *, topics_=(), languages=(("fr", LanguageLevel.FLUENT),), periods=(),
           keywords="", summary="", active=True, **person):
    person.setdefault("password", None)  # experts of these tests never sign in; hashing is slow
    person_row = factories.make_person(full_name=name, parliament=parliament, **person)
    data = roster.ProfileInput(summary=summary, keywords=keywords, topic_ids=tuple(t.id for t in topics_),
                               languages=tuple(languages), availability=tuple(roster.Period(*p) for p in periods),
                               active=active)
    return roster.save_profile(person_row, data, person_row)


def past_mission(person, *, topic=None, host=None, days_ago=60, country=""):
    start = utcnow() - timedelta(days=days_ago)
    activity = Activity(title=f"Mission {days_ago} {person.id}", modality=Modality.NEEDS_ASSESSMENT_MISSION,
                        timezone="UTC", starts_at=start, ends_at=start + timedelta(days=3),
                        status=ActivityStatus.COMPLETED, host_parliament_id=host.id if host else None,
                        venue_country=country, languages=["en"])
    if topic is not None:
        activity.topics = [topic]
    db.session.add(activity)
    db.session.flush()
    db.session.add(MissionTeamMember(activity_id=activity.id, person_id=person.id, role=TeamRole.EXPERT))
    db.session.commit()
    return activity


def days(first: int, last: int, base: date = date(2030, 1, 1)) -> tuple[date, date]:
    return base + timedelta(days=first), base + timedelta(days=last)
