"""Database plumbing shared by every feature: aware UTC datetimes and SQLite settings."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import wraps

from sqlalchemy import DateTime, Enum, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

# Set only by tests (tests/clock.py) to freeze "now" for windows and expiries.
frozen_now: datetime | None = None


def utcnow() -> datetime:
    return frozen_now or datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A datetime column that only accepts aware values and always returns aware UTC.

    SQLite has no timezone support, so values are normalised to UTC before
    storage and re-labelled as UTC when read back; PostgreSQL stores timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: give it a timezone (UTC is stored)")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def rows_by_ids(model, ids) -> list | None:
    """The rows of `model` with these ids, or None if any of them no longer exists."""
    if not ids:
        return []
    from elearn.extensions import db  # here, not at the top: extensions does not depend on this module

    found = db.session.scalars(select(model).where(model.id.in_(ids))).all()
    return list(found) if len(found) == len(set(ids)) else None


def rolls_back_on(*errors: type[Exception]):
    """A service that raises one of `errors` leaves nothing half-changed in the session.

    The error's message is for the user; the caller (a view) only shows it.
    """
    def decorate(service):
        @wraps(service)
        def run(*args, **kwargs):
            from elearn.extensions import db  # here, not at the top: extensions does not depend on this module

            try:
                return service(*args, **kwargs)
            except errors:
                db.session.rollback()
                raise
        return run
    return decorate


def string_enum(enum_cls, name: str) -> Enum:
    """A Python enum stored as its values in VARCHAR, checked by SQLAlchemy on every write.

    Portable across SQLite and PostgreSQL and readable in SQL. There is no CHECK
    constraint listing the values: adding a value to the enum then needs no
    migration (a CHECK would, and on SQLite a table rebuild). The type refuses
    an unknown value before it reaches the database (validate_strings).
    """
    return Enum(enum_cls, name=name, native_enum=False, create_constraint=False, validate_strings=True,
                values_callable=lambda members: [m.value for m in members], length=32)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    # Only pysqlite connections have this module name; PostgreSQL is left alone.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # The busy timeout comes from the connection's `timeout` (SQLITE_BUSY_TIMEOUT_MS,
        # see config.engine_options): a locked database is waited for, then refused.
        cursor.close()


def conflict_insert(session, target):
    """An INSERT of the session's dialect, which has `on_conflict_do_nothing/update` (PostgreSQL and SQLite
    both; the generic one has neither)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(target)


def escape_like(text: str) -> str:
    """`text` taken literally in a LIKE pattern written with escape="\\"."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Tables that DDL events make beside a model's table (a full-text index and, on SQLite, its FTS5 shadow
# tables, named after it): no model maps them, so the comparison of models and migrations leaves them out.
UNMAPPED_TABLES: set[str] = set()
FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


def unmapped_table(name: str) -> bool:
    return name in UNMAPPED_TABLES or any(name == base + suffix for base in UNMAPPED_TABLES for suffix in FTS5_SHADOWS)


def for_this_dialect(dialect_name: str):
    """An Alembic `include_object` that leaves out what the models create on another database only
    (an index declared with `.ddl_if(dialect=...)`, like PostgreSQL's trigram indexes) and the tables
    DDL events make beside the models' (UNMAPPED_TABLES)."""

    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == "table" and reflected and compare_to is None and unmapped_table(name):
            return False
        condition = getattr(obj, "_ddl_if", None)
        return condition is None or condition.dialect in (None, dialect_name)

    return include_object
