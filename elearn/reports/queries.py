"""Reading the database for a report: the activities held under the filters, their attendance, completions.

Whatever the number of registrations, a report takes the same handful of
queries: the figures are added up in Python from one row per attendance.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.affiliations import side_on, timelines
from elearn.people.models import Person, PersonKind
from elearn.reports.facts import COMPLETION_SOURCES, Completion, Participation, ReportFilters
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Programme,
    Registration,
    activity_topic,
    session_days,
    session_hours,
)

HELD_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)


def programmes_by_id() -> dict[int, Programme]:
    return {p.id: p for p in db.session.scalars(select(Programme).order_by(Programme.title))}


def funders(programmes: Iterable[Programme]) -> list[str]:
    return sorted({name for programme in programmes for name in programme.funders}, key=str.lower)


def _activity_statement(filters: ReportFilters, programmes: dict[int, Programme], now: datetime):
    statement = select(Activity.id, Activity.timezone, Activity.starts_at, Activity.programme_id).where(
        Activity.status.in_(HELD_STATUSES), Activity.starts_at.is_not(None), Activity.starts_at <= now)
    # A day of margin each side: the exact local date is checked in Python.
    if filters.date_from:
        statement = statement.where(
            Activity.starts_at >= datetime.combine(filters.date_from - timedelta(days=1), time(0), timezone.utc))
    if filters.date_to:
        statement = statement.where(
            Activity.starts_at < datetime.combine(filters.date_to + timedelta(days=2), time(0), timezone.utc))
    if filters.programme_id:
        statement = statement.where(Activity.programme_id == filters.programme_id)
    if filters.funder:
        funded = [p.id for p in programmes.values() if filters.funder in p.funders]
        statement = statement.where(Activity.programme_id.in_(funded or [-1]))
    if filters.modality:
        statement = statement.where(Activity.modality == filters.modality)
    if filters.topic_id:
        statement = statement.where(Activity.id.in_(
            select(activity_topic.c.activity_id).where(activity_topic.c.topic_id == filters.topic_id)))
    return statement


def _in_period(day: date, filters: ReportFilters) -> bool:
    return (filters.date_from is None or day >= filters.date_from) and (filters.date_to is None or day <= filters.date_to)


def participations(filters: ReportFilters, *, now: datetime | None = None,
                   programmes: dict[int, Programme] | None = None) -> tuple[dict[int, date], list[Participation]]:
    """The activities held under `filters` (id → local date) and their participations.

    Three queries (activities, attendance rows, side histories) plus the
    programmes when they are not given, whatever the number of registrations.
    """
    now = now or utcnow()
    programmes = programmes_by_id() if programmes is None else programmes
    activity_statement = _activity_statement(filters, programmes, now)
    activities: dict[int, tuple[date, ZoneInfo, int | None]] = {}
    for activity_id, zone_name, starts_at, programme_id in db.session.execute(activity_statement):
        zone = ZoneInfo(zone_name)
        day = starts_at.astimezone(zone).date()
        if _in_period(day, filters):
            activities[activity_id] = (day, zone, programme_id)
    activity_ids = activity_statement.with_only_columns(Activity.id)
    attended = (
        select(Registration.person_id, Registration.activity_id, Person.parliament_id, Person.kind, Person.gender,
               ActivitySession.starts_at, ActivitySession.ends_at, ActivitySession.all_day)
        .select_from(Attendance)
        .join(Registration, Registration.id == Attendance.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .join(ActivitySession, ActivitySession.id == Attendance.session_id)
        .where(Attendance.status == AttendanceStatus.PRESENT, Registration.activity_id.in_(activity_ids)))
    if filters.parliament_id:
        attended = attended.where(Person.parliament_id == filters.parliament_id)
    registered = select(Registration.person_id).where(Registration.activity_id.in_(activity_ids))
    if filters.parliament_id:
        # Only that parliament's members: a parliament's page must not read everyone's side history.
        registered = registered.join(Person, Person.id == Registration.person_id).where(
            Person.parliament_id == filters.parliament_id)
    sides = timelines(registered)
    found: dict[tuple[int, int], dict] = {}
    for person_id, activity_id, parliament_id, kind, gender, starts_at, ends_at, all_day in db.session.execute(attended):
        if activity_id not in activities:
            continue
        zone = activities[activity_id][1]
        entry = found.setdefault((person_id, activity_id), {
            "person": (parliament_id, kind, gender), "days": set(), "hours": 0.0})
        entry["days"].update(session_days(starts_at, ends_at, all_day, zone))
        entry["hours"] += session_hours(starts_at, ends_at, all_day, zone)
    facts = []
    for (person_id, activity_id), entry in found.items():
        day, _zone, programme_id = activities[activity_id]
        parliament_id, kind, gender = entry["person"]
        side = side_on(sides.get(person_id, []), day) if kind == PersonKind.MP else None
        facts.append(Participation(person_id=person_id, activity_id=activity_id, day=day,
                                   parliament_id=parliament_id, kind=kind, gender=gender, side=side,
                                   programme_id=programme_id, days=len(entry["days"]), hours=entry["hours"]))
    facts.sort(key=lambda fact: (fact.day, fact.activity_id, fact.person_id))
    return {activity_id: values[0] for activity_id, values in activities.items()}, facts


def reported_completions(filters: ReportFilters) -> list[Completion] | None:
    sources = current_app.extensions.get(COMPLETION_SOURCES, [])
    if not sources:
        return None
    return [completion for source in sources for completion in source(filters)
            if _in_period(completion.completed_on, filters)
            and (not filters.parliament_id or completion.parliament_id == filters.parliament_id)]


def completion_facts(completions: list[Completion]) -> list[Participation]:
    """Completions in the shape of participations, with the side in force on the day of completion."""
    members = sorted({c.person_id for c in completions if c.kind == PersonKind.MP})
    sides = timelines(members) if members else {}
    return [Participation(person_id=c.person_id, activity_id=0, day=c.completed_on, parliament_id=c.parliament_id,
                          kind=c.kind, gender=c.gender, programme_id=None,
                          side=side_on(sides.get(c.person_id, []), c.completed_on) if c.kind == PersonKind.MP else None)
            for c in completions]
