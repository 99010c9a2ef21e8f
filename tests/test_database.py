"""Database plumbing: aware UTC datetimes, lower-case unique emails, foreign keys on SQLite."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError, StatementError

from elearn.access import Role
from elearn.extensions import db
from elearn.people import services
from elearn.people.models import Parliament, Person, PersonKind
from tests import factories


def reloaded(obj):
    """The object as a fresh read from the database would give it."""
    db.session.commit()
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def test_a_naive_datetime_is_refused(app):
    db.session.add(Parliament(name_en="Naive", name_fr="Naïf", country_code="GM", chamber_name="Naive chamber",
                              created_at=datetime(2025, 3, 1, 9, 30)))

    with pytest.raises(StatementError) as caught:
        db.session.flush()

    assert isinstance(caught.value.orig, ValueError)
    assert "naive datetime refused" in str(caught.value.orig)
    db.session.rollback()


def test_datetimes_come_back_aware_and_in_utc(app):
    in_thimphu = datetime(2025, 3, 1, 15, 30, tzinfo=ZoneInfo("Asia/Thimphu"))  # UTC+6
    parliament = factories.make_parliament(created_at=in_thimphu)

    stored = reloaded(parliament).created_at

    assert stored == datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
    assert stored.utcoffset().total_seconds() == 0
    assert stored.tzinfo == timezone.utc


def test_defaults_are_aware_utc_too(app):
    person = reloaded(factories.make_person())

    assert person.created_at.tzinfo == timezone.utc


def test_emails_are_stored_lower_case_and_unique_whatever_the_case(app):
    data = services.PersonData(email="Amina.Touray@Example.ORG", full_name="Amina Touray",
                               kind=PersonKind.STAFF, role=Role.LEARNER)
    amina = services.create_person(data)
    assert amina.email == "amina.touray@example.org"

    with pytest.raises(services.AccountError, match="already used by another account"):
        services.create_person(services.PersonData(
            email="AMINA.TOURAY@example.org", full_name="Someone Else", kind=PersonKind.STAFF, role=Role.LEARNER))

    assert db.session.scalar(db.select(db.func.count(Person.id))) == 1


def test_the_database_refuses_an_upper_case_email(app):
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Person).values(email="Shouting@Example.org", full_name="Shouting Person"))
    db.session.rollback()


def test_the_database_refuses_the_same_email_twice(app):
    factories.make_person(email="twice@example.org")

    with pytest.raises(IntegrityError):
        db.session.execute(insert(Person).values(email="twice@example.org", full_name="Second Twice"))
    db.session.rollback()


def test_sqlite_enforces_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL always enforces foreign keys")
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1

    with pytest.raises(IntegrityError):
        db.session.execute(insert(Person).values(email="orphan@example.org", full_name="Orphan", parliament_id=999))
    db.session.rollback()
    assert db.session.get(Parliament, 999) is None
