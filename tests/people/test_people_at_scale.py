"""The people admin and a parliament's page on large tables: literal search text, a stable order across pages,
indexes PostgreSQL can use, and only the parliament's own members' side history read."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from elearn import sql_dates as report_sql
from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people import affiliations
from elearn.people.models import Person, PersonKind, PoliticalSide
from elearn.reports.aggregates import attendance_facts
from elearn.reports.facts import ReportFilters
from elearn.reports.queries import programmes_by_id
from elearn.scheduling.models import AttendanceStatus
from tests import factories
from tests.helpers import count_queries, text
from tests.reports.factories import attend, make_held_activity

ROW_RE = re.compile(r'<td><a href="/admin/people/(\d+)">([^<]+)</a></td>')


def test_search_takes_percent_and_underscore_literally(admin_client):
    factories.make_person(full_name="Rate 100% Sure")
    factories.make_person(full_name="Rate 1000 Sure")
    factories.make_person(full_name="Under_Score", email="under_score@example.org")
    factories.make_person(full_name="UnderXScore", email="underxscore@example.org")
    assert [name for _id, name in ROW_RE.findall(text(admin_client.get("/admin/people?q=100%25")))] == [
        "Rate 100% Sure"]
    assert [name for _id, name in ROW_RE.findall(text(admin_client.get("/admin/people?q=under_")))] == [
        "Under_Score"]


def test_people_of_the_same_name_keep_one_order_across_pages(admin_client):
    for _ in range(30):
        factories.make_person(full_name="Same Name", password=None)
    first = ROW_RE.findall(text(admin_client.get("/admin/people?q=same")))
    second = ROW_RE.findall(text(admin_client.get("/admin/people?q=same&page=2")))
    ids = [int(person_id) for person_id, _name in first + second]
    assert len(ids) == 30 and ids == sorted(ids)  # by name, then id: nobody twice, nobody skipped


def _plan(statement: str) -> str:
    return "\n".join(row[0] for row in db.session.execute(sql("EXPLAIN " + statement)))


def test_postgresql_orders_and_searches_people_with_indexes(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigram indexes exist on PostgreSQL only")
    db.session.execute(sql(
        "INSERT INTO person (email, full_name, kind, preferred_language, timezone, role, is_active, session_key, "
        "position, created_at) SELECT 'p' || n || '@example.org', 'Person ' || md5(n::text), 'staff', 'en', 'UTC', "
        "'learner', true, md5(n::text), '', now() FROM generate_series(1, 5000) AS n"))
    # New GIN entries wait in a pending list (costed high) until a vacuum: move them into the index now.
    db.session.execute(sql("SELECT gin_clean_pending_list('ix_person_full_name_trgm'), "
                           "gin_clean_pending_list('ix_person_email_trgm')"))
    db.session.execute(sql("ANALYZE person"))
    # A few thousand rows still fit a sequential scan: ask whether an index can answer, not whether it pays yet.
    db.session.execute(sql("SET LOCAL enable_seqscan = off"))
    assert "ix_person_full_name_id" in _plan("SELECT id FROM person ORDER BY full_name, id LIMIT 25 OFFSET 2500")
    assert "ix_person_full_name_trgm" in _plan("SELECT id FROM person WHERE full_name ILIKE '%jallow%'")
    assert "ix_person_email_trgm" in _plan("SELECT id FROM person WHERE email LIKE '%jallow%'")
    assert "ix_activity_ends_at" in _plan("SELECT id FROM activity WHERE ends_at >= now()")
    db.session.rollback()


def test_a_parliaments_figures_read_only_its_own_members_side_history(app):
    home, other = factories.make_parliament(), factories.make_parliament()
    start = datetime.combine(utcnow().date() - timedelta(days=30), datetime.min.time()).replace(hour=9)
    activity = make_held_activity([(start, start.replace(hour=16))], timezone="UTC")
    admin = factories.make_person(Role.ADMIN)
    for parliament, side in ((home, PoliticalSide.OPPOSITION), (other, PoliticalSide.RULING)):
        member = factories.make_person(kind=PersonKind.MP, parliament=parliament, password=None)
        affiliations.record_change(member, side, date(2020, 1, 1), actor=admin)
        attend(activity, member, AttendanceStatus.PRESENT)
    db.session.commit()
    report_sql.install()  # the report's SQL functions on this connection, as the report does
    _held, facts = attendance_facts(ReportFilters(parliament_id=home.id), programmes_by_id(), utcnow())
    with count_queries() as counter:
        sides = db.session.scalars(select(facts.c.side)).all()
    assert sides == [PoliticalSide.OPPOSITION.value]
    # One statement: the side on the day is looked up only for the rows that parliament's filter keeps.
    assert len(counter.statements) == 1 and "parliament_id" in counter.statements[0]
    everyone = db.session.scalars(select(Person.id).where(Person.kind == PersonKind.MP)).all()
    assert len(everyone) == 2  # the other member's history exists but was not asked for
