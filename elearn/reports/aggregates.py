"""Every report figure as an SQL aggregate: one statement for attendance, one for course completions.

A participation (one person at one activity, present at one session at least)
is a row of a common table expression, `facts`, built in the database from the
held activities, their sessions and attendance; the figures of every slice are
GROUP BYs over it, joined with UNION ALL so that the whole report is one
statement whatever the number of registrations. Nothing row by row reaches
Python: memory and the number of statements do not grow with the data.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta, timezone

from flask import current_app
from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    case,
    cast,
    distinct,
    extract,
    false,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)

from elearn import sql_dates as sql
from elearn.extensions import db
from elearn.participation_sources import PARTICIPATION_SOURCES
from elearn.people.affiliations import PoliticalAffiliation
from elearn.people.models import Gender, Person, PersonKind, PoliticalSide
from elearn.reports.facts import COMPLETION_SOURCES, Completion, ReportFilters
from elearn.reports.figures import Tally
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Programme,
    Registration,
    activity_topic,
)

HELD_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)
NO_KEY = ""  # the key of a slice's row whose value is missing (no parliament, no programme)

Tallies = dict[str, dict[str, Tally]]


def held_activities(filters: ReportFilters, programmes: dict[int, Programme], now: datetime) -> Select:
    """Activities held under `filters`: started by `now`, published or completed, on their local date."""
    day = sql.local_date(Activity.starts_at, Activity.timezone)
    statement = select(Activity.id.label("activity_id"), Activity.programme_id.label("programme_id"),
                       Activity.timezone.label("zone"), day.label("day")).where(
        Activity.status.in_(HELD_STATUSES), Activity.starts_at.is_not(None), Activity.starts_at <= now)
    # The UTC bounds (a day of margin) let an index narrow the rows; the local date decides.
    if filters.date_from:
        statement = statement.where(
            Activity.starts_at >= datetime.combine(filters.date_from - timedelta(days=1), time(0), timezone.utc),
            day >= filters.date_from)
    if filters.date_to:
        statement = statement.where(
            Activity.starts_at < datetime.combine(filters.date_to + timedelta(days=2), time(0), timezone.utc),
            day <= filters.date_to)
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


def _side_on(person_id, day):
    """The side in force on `day`: the latest change on or before it (None if none was recorded)."""
    return (select(type_coerce(PoliticalAffiliation.side, String))
            .where(PoliticalAffiliation.person_id == person_id, PoliticalAffiliation.effective_from <= day)
            .order_by(PoliticalAffiliation.effective_from.desc()).limit(1).scalar_subquery())


def _described(base, *, activity_id, programme_id, days, hours, filters: ReportFilters) -> Select:
    """A fact per row of `base` (person_id, day): the person's parliament, kind, gender and side on that day."""
    side = case((Person.kind == PersonKind.MP,
                 func.coalesce(_side_on(base.c.person_id, base.c.day), PoliticalSide.NOT_STATED.value)))
    statement = select(
        base.c.person_id, activity_id.label("activity_id"), base.c.day, programme_id.label("programme_id"),
        days.label("days"), hours.label("hours"), Person.parliament_id.label("parliament_id"),
        type_coerce(Person.kind, String).label("kind"), type_coerce(Person.gender, String).label("gender"),
        side.label("side")).select_from(base).join(Person, Person.id == base.c.person_id)
    if filters.parliament_id:
        statement = statement.where(Person.parliament_id == filters.parliament_id)
    return statement


def _other_participations(filters: ReportFilters, programmes: dict[int, Programme]) -> list[Select]:
    """The participations registered sources supply (elearn.participation_sources), in `base`'s
    columns, narrowed to the period, programme and funder here; the parliament is narrowed by _described."""
    selects = []
    for source in current_app.extensions.get(PARTICIPATION_SOURCES, ()):
        supplied = source(filters)
        if supplied is None:
            continue
        rows = supplied.subquery()
        statement = select(rows.c.person_id, cast(null(), Integer).label("activity_id"), rows.c.day,
                           rows.c.programme_id, rows.c.hours, rows.c.days)
        if filters.date_from:
            statement = statement.where(rows.c.day >= filters.date_from)
        if filters.date_to:
            statement = statement.where(rows.c.day <= filters.date_to)
        if filters.programme_id:
            statement = statement.where(rows.c.programme_id == filters.programme_id)
        if filters.funder:
            funded = [p.id for p in programmes.values() if filters.funder in p.funders]
            statement = statement.where(rows.c.programme_id.in_(funded or [-1]))
        selects.append(statement)
    return selects


def attendance_facts(filters: ReportFilters, programmes: dict[int, Programme], now: datetime):
    """(held activities, participations) as common table expressions."""
    held = held_activities(filters, programmes, now).cte("held").prefix_with("MATERIALIZED")
    first = sql.local_date(ActivitySession.starts_at, held.c.zone)
    last = case((ActivitySession.all_day, sql.local_date(ActivitySession.ends_at, held.c.zone)),
                else_=sql.next_day(first))
    # Each local day a session covers: the day it starts, or every day of an all-day span.
    session_day = (select(ActivitySession.id.label("session_id"), first.label("day"), last.label("last"))
                   .join(held, held.c.activity_id == ActivitySession.activity_id).where(first < last)
                   .cte("session_day", recursive=True))
    following = sql.next_day(session_day.c.day)
    session_day = session_day.union_all(
        select(session_day.c.session_id, following, session_day.c.last).where(following < session_day.c.last))
    present = Attendance.status == AttendanceStatus.PRESENT
    hours = case((ActivitySession.all_day, 7 * sql.days_between(
        sql.local_date(ActivitySession.starts_at, held.c.zone), sql.local_date(ActivitySession.ends_at, held.c.zone))),
        else_=sql.hours_between(ActivitySession.starts_at, ActivitySession.ends_at))
    per_registration = (
        select(Registration.id.label("registration_id"), Registration.person_id.label("person_id"),
               Registration.activity_id.label("activity_id"), held.c.day.label("day"),
               held.c.programme_id.label("programme_id"), func.sum(hours).label("hours"))
        .select_from(Attendance).join(Registration, Registration.id == Attendance.registration_id)
        .join(ActivitySession, ActivitySession.id == Attendance.session_id)
        .join(held, held.c.activity_id == Registration.activity_id).where(present)
        .group_by(Registration.id, Registration.person_id, Registration.activity_id, held.c.day,
                  held.c.programme_id))
    if filters.parliament_id:
        # Narrow to the parliament's people here, not only at the end: a parliament's page otherwise sums
        # every registration of every activity first (3.1 s against 0.7 s at 1M registrations).
        per_registration = per_registration.where(Registration.person_id.in_(
            select(Person.id).where(Person.parliament_id == filters.parliament_id)))
    per_registration = per_registration.cte("per_registration")
    days = (select(Attendance.registration_id.label("registration_id"),
                   func.count(distinct(session_day.c.day)).label("days"))
            .join(session_day, session_day.c.session_id == Attendance.session_id).where(present)
            .group_by(Attendance.registration_id).cte("registration_days"))
    base = (select(per_registration.c.person_id, per_registration.c.activity_id, per_registration.c.day,
                   per_registration.c.programme_id, per_registration.c.hours, func.coalesce(days.c.days, 0).label("days"))
            .outerjoin(days, days.c.registration_id == per_registration.c.registration_id))
    others = _other_participations(filters, programmes)
    base = (union_all(base, *others) if others else base).subquery("base")
    facts = _described(base, activity_id=base.c.activity_id, programme_id=base.c.programme_id, days=base.c.days,
                       hours=base.c.hours, filters=filters)
    return held, facts.cte("facts").prefix_with("MATERIALIZED")


def _completion_rows(source_result) -> Select:
    """A source's completions as rows (person_id, completed_on)."""
    if isinstance(source_result, Select):
        return source_result
    completions: list[Completion] = list(source_result)
    if not completions:
        return select(cast(null(), Integer).label("person_id"), cast(null(), Date).label("completed_on")).where(false())
    # SQLite's VALUES takes no column names: one SELECT per completion (such sources are short lists).
    rows = [select(literal(c.person_id, Integer).label("person_id"), literal(c.completed_on, Date).label("completed_on"))
            for c in completions]
    return union_all(*rows) if len(rows) > 1 else rows[0]


def completion_facts(filters: ReportFilters):
    """Course completions under `filters` as a common table expression of facts; None with no source installed.

    A source returns a SELECT of (person_id, completed_on), or a list of Completion for small sources.
    """
    sources = current_app.extensions.get(COMPLETION_SOURCES, [])
    if not sources:
        return None
    parts = [_completion_rows(source(filters)) for source in sources]
    base = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("completions")
    base = select(base.c.person_id, base.c.completed_on.label("day")).subquery("completed")
    statement = _described(base, activity_id=literal(0), programme_id=cast(null(), Integer), days=literal(0),
                           hours=literal(0), filters=filters)
    if filters.date_from:
        statement = statement.where(base.c.day >= filters.date_from)
    if filters.date_to:
        statement = statement.where(base.c.day <= filters.date_to)
    return statement.cte("completion_facts").prefix_with("MATERIALIZED")


BLOCK_SEPARATOR = "/"


def _block(facts):
    """A participation's block as text: year/quarter/programme id (empty for none), e.g. "2026/1/7"."""
    month = extract("month", facts.c.day)
    quarter = case((month <= 3, 1), (month <= 6, 2), (month <= 9, 3), else_=4)
    return (cast(extract("year", facts.c.day), Integer).cast(String) + BLOCK_SEPARATOR + cast(quarter, String)
            + BLOCK_SEPARATOR + func.coalesce(cast(facts.c.programme_id, String), NO_KEY))


def _branch(facts, name: str, key=None, *conditions):
    women = func.sum(case((facts.c.gender == Gender.WOMAN.value, 1), else_=0))
    not_stated = func.sum(case((facts.c.gender.is_(None), 1), else_=0))
    key_column = literal(NO_KEY) if key is None else func.coalesce(cast(key, String), NO_KEY)
    statement = select(literal(name).label("slice"), key_column.label("key"), func.count().label("participations"),
                       func.count(distinct(facts.c.person_id)).label("people"),
                       func.count(distinct(facts.c.activity_id)).label("activities"),
                       func.sum(facts.c.days).label("days"), func.sum(facts.c.hours).label("hours"),
                       women.label("women"), not_stated.label("not_stated"),
                       func.sum(distinct(facts.c.person_id)).label("fingerprint"))
    statement = statement.where(*conditions)
    return statement if key is None else statement.group_by(key)


def tallies(facts, held=None, *, slices: Iterable[str]) -> Tallies:
    """The figures of each slice in one statement: {slice: {key: Tally}}; "total" has the key ""."""
    sql.install()
    branches = []
    for name in slices:
        if name == "total":
            branches.append(_branch(facts, "total"))
        elif name == "side":
            branches.append(_branch(facts, "side", facts.c.side, facts.c.kind == PersonKind.MP.value))
        elif name == "side_block":  # a side within a block (quarter and programme): see protection.py
            branches.append(_branch(facts, name, _block(facts) + BLOCK_SEPARATOR + facts.c.side,
                                    facts.c.kind == PersonKind.MP.value))
        elif name == "members_block":
            branches.append(_branch(facts, name, _block(facts), facts.c.kind == PersonKind.MP.value))
        elif name == "year":
            branches.append(_branch(facts, "year", extract("year", facts.c.day)))
        else:
            branches.append(_branch(facts, name, facts.c[name + "_id" if name in ("parliament", "programme")
                                                          else name]))
    if held is not None:
        branches.append(select(literal("held").label("slice"), literal(NO_KEY).label("key"),
                               func.count().label("participations"), *(literal(0) for _n in range(7))
                               ).select_from(held))
    result: Tallies = {}
    for row in db.session.execute(union_all(*branches)):
        key = str(row.key)
        if row.slice == "year" and key.endswith(".0"):  # extract() is numeric on PostgreSQL
            key = key[:-2]
        result.setdefault(row.slice, {})[key] = Tally(
            participations=row.participations or 0, people=row.people or 0, activities=row.activities or 0,
            days=int(row.days or 0), hours=float(row.hours or 0), women=int(row.women or 0),
            not_stated=int(row.not_stated or 0), fingerprint=int(row.fingerprint or 0))
    return result
