"""A stored UTC instant as local wall-clock text ("YYYY-MM-DD HH:MM") in a named zone, in SQL on both databases.

The boards filter, order and group by the local day and hour of each activity's own
timezone, several zones in one statement. PostgreSQL converts with AT TIME ZONE;
SQLite has no zone data, so `install` gives its connection a small deterministic
function that converts with zoneinfo (the same idea as the reports' `local_date`,
which sits in a layer above this one).
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import String, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class local_text(FunctionElement):  # noqa: N801 - reads like the SQL function it is
    """local_text(utc_timestamp, zone_name): 'YYYY-MM-DD HH:MM' on the wall clocks of that zone."""

    type = String()
    inherit_cache = True
    name = "local_text"


@compiles(local_text, "postgresql")
def _local_text_pg(element, compiler, **kw):
    moment, zone = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"to_char(({moment} AT TIME ZONE {zone}), 'YYYY-MM-DD HH24:MI')"


@compiles(local_text)
def _local_text_sqlite(element, compiler, **kw):
    moment, zone = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"hc_local_text({moment}, {zone})"


def local_day(moment, zone):
    """The local date as 'YYYY-MM-DD' text: compared with ISO dates, it orders as the dates do."""
    return func.substr(local_text(moment, zone), 1, 10)


def local_hour(moment, zone):
    """'YYYY-MM-DD HH': the local hour a pick-up or drop-off falls in."""
    return func.substr(local_text(moment, zone), 1, 13)


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _sqlite_local_text(moment: str | None, zone: str | None) -> str | None:
    if moment is None or zone is None:
        return None
    value = datetime.fromisoformat(moment).replace(tzinfo=timezone.utc)
    return value.astimezone(_zone(zone)).strftime("%Y-%m-%d %H:%M")


def install(session) -> None:
    """Give the session's SQLite connection `hc_local_text` (PostgreSQL needs nothing)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.connection.dbapi_connection.create_function(
            "hc_local_text", 2, _sqlite_local_text, deterministic=True)
