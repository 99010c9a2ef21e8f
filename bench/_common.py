"""What the bench scripts share: a scratch database to seed, measure and throw away."""
from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def scratch_database(url: str = "") -> Iterator[str]:
    """The URL of an empty database, dropped on leaving: with a PostgreSQL server's `url`, a database of its
    own created on that server; without, a SQLite file in a temporary folder."""
    if not url:
        with tempfile.TemporaryDirectory(prefix="hemicycle-bench-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    server = make_url(url)
    name = f"hemicycle_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def bench_app(url: str):
    """The app on `url`, as a test sees it (no CSRF, no rate limits), its instance folder a temporary one."""
    import os

    from elearn import create_app

    os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", tempfile.mkdtemp(prefix="hemicycle-bench-"))
    return create_app({"TESTING": True, "SECRET_KEY": uuid.uuid4().hex * 2, "SQLALCHEMY_DATABASE_URI": url,
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SITE_URL": "https://hemicycle.test"})
