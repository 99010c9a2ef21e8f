"""The database settings a multi-host deployment uses: pool size, and PgBouncer's transaction mode."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from elearn import create_app
from elearn.extensions import db
from tests.conftest import BASE_CONFIG

POSTGRES = "postgresql+psycopg://hemicycle@db.internal/hemicycle"


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.setenv("HEMICYCLE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-of-decent-length")
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    return monkeypatch


def test_the_pool_is_sized_from_the_environment(production):
    production.setenv("DATABASE_POOL_SIZE", "1")
    production.setenv("DATABASE_MAX_OVERFLOW", "1")

    options = create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]

    assert (options["pool_size"], options["max_overflow"], options["pool_pre_ping"]) == (1, 1, True)
    assert "prepare_threshold" not in options.get("connect_args", {})  # psycopg's default: prepare


def test_behind_pgbouncer_no_statement_is_prepared_on_the_server(production):
    production.setenv("DATABASE_PGBOUNCER", "true")

    options = create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]

    assert options["connect_args"]["prepare_threshold"] is None


def test_sqlite_keeps_its_own_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_PGBOUNCER", "true")
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})

    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]

    assert "pool_size" not in options and options["connect_args"] == {"timeout": 15.0}


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_with_the_pgbouncer_setting_a_repeated_query_stays_unprepared(database_url):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "DATABASE_PGBOUNCER": True})
    with app.app_context():
        with db.engine.connect() as connection:
            for _ in range(10):  # psycopg would prepare it from the sixth run
                connection.execute(text("SELECT count(*) FROM person WHERE id > :id"), {"id": 0})
            prepared = connection.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        db.engine.dispose()
    assert prepared == 0
