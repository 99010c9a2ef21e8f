"""Probes a load balancer polls: /healthz (alive) and /readyz (database, Redis, schema)."""
import pytest
from flask_migrate import stamp

REDIS_URL = "redis://127.0.0.1:6379/15"


def stamp_head(app):
    with app.app_context():
        stamp(directory=app.extensions["migrate"].directory, revision="head")


def test_healthz_answers_without_touching_the_database(app, client, monkeypatch):
    from elearn.extensions import db

    def no_database(*args, **kwargs):
        raise AssertionError("healthz must not use the database")

    monkeypatch.setattr(db.engine, "connect", no_database)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_is_ready_when_the_schema_is_at_the_code_s_migration_head(app, client):
    stamp_head(app)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["checks"] == {"database": "ok", "redis": "not used", "migrations": "ok"}


def test_readyz_says_a_database_that_was_never_migrated_is_not_ready(app, client):
    from sqlalchemy import text

    from elearn.extensions import db

    db.session.execute(text("DROP TABLE alembic_version"))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"] == "not stamped"
    assert response.json["checks"]["database"] == "ok"


def test_readyz_says_a_database_at_an_older_migration_is_behind(app, client):
    with app.app_context():
        stamp(directory=app.extensions["migrate"].directory, revision="1172dd711346")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"] == "behind"


def test_readyz_checks_redis_when_the_site_counts_sign_ins_there(make_app):
    pytest.importorskip("redis")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    app = make_app(RATELIMIT_STORAGE_URI=REDIS_URL)
    stamp_head(app)
    assert app.test_client().get("/readyz").json["checks"]["redis"] == "ok"


def test_readyz_is_unavailable_when_redis_does_not_answer(make_app):
    # Port 9 (discard) has nothing listening on a test machine.
    app = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")
    stamp_head(app)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"] == "unreachable"
    assert response.json["checks"]["database"] == "ok"


def test_readyz_is_unavailable_when_the_database_is_unreachable(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "unreachable"
