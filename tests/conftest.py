"""Shared fixtures: an app on a fresh database per test, signed-in clients, a browser."""
from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.access import Role
from elearn.extensions import db
from tests import factories
from tests.helpers import sign_in

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "RATELIMIT_STORAGE_URI": "memory://",
    "SITE_URL": "http://hemicycle.test",
    "MAIL_SERVER": "",
}


def pytest_report_header(config):
    return f"database: {TEST_DATABASE_URL or 'SQLite file per test'}"


def stamp_migration_head(app) -> None:
    """Mark a schema built from the models as the migrations' head, as `flask db upgrade` leaves production."""
    from flask_migrate import stamp

    stamp(directory=app.extensions["migrate"].directory, revision="head")


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Build the schema once; each test then gets a copy (SQLite) or emptied tables (PostgreSQL)."""
    if TEST_DATABASE_URL:
        server = make_url(TEST_DATABASE_URL)
        name = f"hemicycle_test_{uuid.uuid4().hex[:10]}"
        admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = server.set(database=name).render_as_string(hide_password=False)
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
            stamp_migration_head(app)
            db.engine.dispose()
        from alembic.migration import MigrationContext

        with app.app_context():
            with db.engine.connect() as connection:
                heads = MigrationContext.configure(connection).get_current_heads()
            db.engine.dispose()
        yield {"kind": "postgresql", "url": url, "heads": heads}
        with admin_engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
        with app.app_context():
            db.create_all()
            stamp_migration_head(app)
            with db.engine.connect() as connection:
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.engine.dispose()
        yield {"kind": "sqlite", "path": path}


@pytest.fixture
def database_url(database_template, tmp_path):
    if database_template["kind"] == "sqlite":
        target = tmp_path / "hemicycle.db"
        shutil.copyfile(database_template["path"], target)
        yield f"sqlite:///{target}"
    else:
        yield database_template["url"]
        engine = create_engine(database_template["url"])
        with engine.begin() as connection:
            # DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE's new files for every table cost
            # a quarter of a second each time (ten minutes over the suite). As the replication role the
            # foreign keys' triggers are off, so the order of the tables does not matter. Every table of the
            # schema, not only the models': the library's PostgreSQL search index is a table of its own.
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            tables = connection.scalars(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename <> 'alembic_version'")).all()
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))
            connection.execute(text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))
            # A test that moved the schema's version (readiness, backups) leaves the next one at the head.
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
            connection.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
            for head in database_template["heads"]:
                connection.execute(text("INSERT INTO alembic_version VALUES (:head)"), {"head": head})
        engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose requests each get their own app context, as in production.

    Tests hold an app context open to use the database; without this, requests
    would share its `g` (and so Flask-Login's cached user and Flask-WTF's CSRF
    token) with each other.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            if _cv_app.get(None) is not None:
                db.session.expire_all()  # let the test see what the request wrote


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on this test's database, with extra settings."""
    created = []

    def factory(**overrides):
        config = {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides}
        os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", str(tmp_path / "instance"))
        application = create_app(config)
        application.test_client_class = IsolatedClient
        created.append(application)
        return application

    yield factory
    for application in created:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def people(app):
    """One person of each role, all with factories.PASSWORD."""
    parliament = factories.make_parliament(name_en="National Assembly of The Gambia", country_code="GM")
    return {
        "learner": factories.make_person(Role.LEARNER, email="learner@example.org", parliament=parliament),
        "focal_point": factories.make_person(Role.FOCAL_POINT, email="focal@example.org", parliament=parliament),
        "trainer": factories.make_person(Role.TRAINER, email="trainer@example.org"),
        "admin": factories.make_person(Role.ADMIN, email="admin@example.org"),
    }


@pytest.fixture
def login_as(app, people):
    """`login_as("trainer")` gives a new test client signed in with that role."""

    def factory(role: str):
        new_client = app.test_client()
        response = sign_in(new_client, people[role].email, factories.PASSWORD)
        assert response.status_code == 302, f"could not sign in as {role}"
        return new_client

    return factory


@pytest.fixture
def admin_client(login_as):
    return login_as("admin")


@pytest.fixture
def learner_client(login_as):
    return login_as("learner")


# Browser -----------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live_server(app):
    """Serve the app on a free loopback port from a thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        # A request the browser left in flight (a favicon, a prefetch) may still hold a database connection:
        # let it finish before the app's engine is disposed, or that connection outlives its pool unclosed.
        for handler in list(getattr(server, "_threads", None) or []):
            handler.join(timeout=5)
        server.socket.close()  # not server_close(), which would wait without a limit for every handler


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # A loaded CI machine (two cores, two test workers) can take longer than expect()'s 5 s to post a form and
    # draw the next page; a check that is right waits no longer for this.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the app's own pages never need it.
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    new_page = context.new_page()
    yield new_page
    context.close()
