"""`flask db copy-to URL`: a SQLite installation moves whole to PostgreSQL and keeps working there."""
import os
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from elearn.extensions import db
from elearn.people.models import Person

SERVER = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def empty_postgres():
    """A new, empty PostgreSQL database, dropped afterwards."""
    server = make_url(SERVER)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"hemicycle_copy_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {server}: {error}")
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_site(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'small-site.db'}")
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["demo", "seed", "--no-courses", "--learners", "4",
                                                    "--activities", "3"])
        assert result.exit_code == 0, result.output
        yield app


def test_a_sqlite_site_is_copied_whole_and_verified(sqlite_site, empty_postgres):
    source_counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
                     for table in db.metadata.sorted_tables}
    result = sqlite_site.test_cli_runner().invoke(args=["db", "copy-to", empty_postgres])
    assert result.exit_code == 0, result.output
    assert "every table's count and checksum match" in result.output

    target = create_engine(empty_postgres)
    with target.connect() as connection:
        for table in db.metadata.sorted_tables:
            assert connection.scalar(select(func.count()).select_from(table)) == source_counts[table.name], table.name
    target.dispose()


def test_the_copied_site_hands_out_new_ids_after_the_copied_ones(sqlite_site, empty_postgres, make_app):
    highest = db.session.scalar(select(func.max(Person.id)))
    assert sqlite_site.test_cli_runner().invoke(args=["db", "copy-to", empty_postgres]).exit_code == 0
    moved = make_app(SQLALCHEMY_DATABASE_URI=empty_postgres)
    with moved.app_context():
        newcomer = Person(email="after-the-move@example.org", full_name="After the move", role="learner")
        db.session.add(newcomer)
        db.session.commit()
        assert newcomer.id == highest + 1
        assert db.session.scalar(select(func.count()).select_from(Person)) == highest + 1
        db.session.remove()
        db.engine.dispose()


def test_a_target_that_holds_data_is_refused_and_left_alone(sqlite_site, empty_postgres):
    runner = sqlite_site.test_cli_runner()
    assert runner.invoke(args=["db", "copy-to", empty_postgres]).exit_code == 0
    again = runner.invoke(args=["db", "copy-to", empty_postgres])
    assert again.exit_code != 0
    assert "already holds data" in again.output
    target = create_engine(empty_postgres)
    with target.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Person.__table__)) == \
            db.session.scalar(select(func.count()).select_from(Person))
    target.dispose()


def test_a_target_prepared_by_the_migrations_receives_the_copy(sqlite_site, empty_postgres, make_app):
    from flask_migrate import stamp, upgrade

    stamp(directory=sqlite_site.extensions["migrate"].directory, revision="head")
    prepared = make_app(SQLALCHEMY_DATABASE_URI=empty_postgres)
    with prepared.app_context():
        upgrade(directory=prepared.extensions["migrate"].directory)
        db.engine.dispose()
    result = sqlite_site.test_cli_runner().invoke(args=["db", "copy-to", empty_postgres])
    assert result.exit_code == 0, result.output
    readiness = prepared.test_client().get("/readyz")
    assert readiness.json["checks"]["migrations"] == "ok"


def test_a_target_at_another_schema_version_is_refused(sqlite_site, empty_postgres):
    from flask_migrate import stamp

    stamp(directory=sqlite_site.extensions["migrate"].directory, revision="head")
    target = create_engine(empty_postgres)
    with target.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('1172dd711346')"))
    target.dispose()
    result = sqlite_site.test_cli_runner().invoke(args=["db", "copy-to", empty_postgres])
    assert result.exit_code != 0
    assert "run `flask db upgrade` on both first" in result.output
