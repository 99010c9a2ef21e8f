"""`/healthz` (the process answers) and `/readyz` (it can do its work: database, Redis, schema).

Load balancers and orchestrators poll these without signing in, so both are public,
sessionless and say only "ok" or what is missing, never versions or addresses.
"""
from __future__ import annotations

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from elearn.access import public
from elearn.extensions import db
from elearn.security import sessionless

bp = Blueprint("ops", __name__)

NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
@public
@sessionless
def healthz():
    return jsonify(status="ok"), 200, NO_STORE


@bp.get("/readyz")
@public
@sessionless
def readyz():
    checks = {"database": check_database(), "redis": check_redis(), "migrations": check_migrations()}
    ready = all(result in ("ok", "not used") for result in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503, NO_STORE


def check_database() -> str:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not ready"; the log says which
        current_app.logger.exception("readyz: the database does not answer")
        return "unreachable"
    return "ok"


def check_redis() -> str:
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    if not uri.startswith(("redis://", "rediss://", "redis+")):
        return "not used"
    import redis

    try:
        client = redis.Redis.from_url(uri.replace("redis+", "", 1) if uri.startswith("redis+") else uri,
                                      socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:  # noqa: BLE001
        current_app.logger.exception("readyz: Redis does not answer")
        return "unreachable"
    return "ok"


def code_heads() -> set[str]:
    """The migration heads this code expects (read once per process: they change only with the code)."""
    cached = current_app.extensions.get("hemicycle_migration_heads")
    if cached is None:
        config = current_app.extensions["migrate"].migrate.get_config()
        cached = set(ScriptDirectory.from_config(config).get_heads())
        current_app.extensions["hemicycle_migration_heads"] = cached
    return cached


def check_migrations() -> str:
    try:
        with db.engine.connect() as connection:
            database_heads = set(MigrationContext.configure(connection).get_current_heads())
    except Exception:  # noqa: BLE001
        current_app.logger.exception("readyz: cannot read the schema version")
        return "unknown"
    if database_heads == code_heads():
        return "ok"
    return "behind" if database_heads else "not stamped"
