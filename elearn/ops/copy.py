"""`flask db copy-to URL`: move a whole installation to another database (SQLite to PostgreSQL).

For people who outgrow one machine: every table is copied in dependency order inside one
transaction on the target (all or nothing), integer id sequences are moved past the highest
copied id so new rows get fresh ids, and each table is then compared by row count and by a
SHA-256 checksum over its rows in primary-key order, read back through the same column types.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timezone
from decimal import Decimal

import click
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, create_engine, func, inspect, select, text
from sqlalchemy.engine import Connection, make_url

from elearn.extensions import db
from elearn.terminal import say

BATCH_ROWS = 2000
ALEMBIC_VERSION = "alembic_version"


class CopyRefused(click.ClickException):
    pass


def install(app: Flask) -> None:
    from flask_migrate.cli import db as migrate_group

    if "copy-to" not in migrate_group.commands:
        migrate_group.add_command(copy_to_command)


def target_engine(url_text: str) -> Engine:
    url = make_url(url_text)
    if url.drivername == "postgresql":  # the driver the app installs, whichever spelling was typed
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url)


def _schema_version_table(metadata: MetaData) -> Table:
    return Table(ALEMBIC_VERSION, metadata, Column("version_num", String(32), primary_key=True))


def tables_to_copy(source: Connection) -> list[Table]:
    """The application's tables in dependency order, then the schema version if the source has one."""
    tables = list(db.metadata.sorted_tables)
    if inspect(source).has_table(ALEMBIC_VERSION):
        tables.append(_schema_version_table(MetaData()))
    return tables


def _refuse_unless_empty(source: Connection, target: Connection, tables: list[Table]) -> list[Table]:
    """Check the target holds no data; return the tables still to copy.

    A target prepared with `flask db upgrade` has empty tables and a schema version, which
    must be the source's: the copy then leaves the version row as it is.
    """
    existing = set(inspect(target).get_table_names())
    if ALEMBIC_VERSION in existing and tables[-1].name == ALEMBIC_VERSION:
        versions = tables[-1]
        source_versions = set(source.scalars(select(versions.c.version_num)))
        target_versions = set(target.scalars(select(versions.c.version_num)))
        if target_versions and target_versions != source_versions:
            raise CopyRefused(f"The target's schema is at {', '.join(sorted(target_versions))}, the source's at "
                              f"{', '.join(sorted(source_versions)) or 'none'}: run `flask db upgrade` on both first.")
        if target_versions:
            tables = tables[:-1]
    filled = [t.name for t in tables if t.name in existing
              and target.scalar(select(func.count()).select_from(t)) > 0]
    if filled:
        raise CopyRefused("The target database already holds data (in " + ", ".join(filled[:5])
                          + "). Copy into an empty database.")
    return tables


def _rows(source: Connection, table: Table) -> Iterable[list[dict]]:
    ordered = select(table).order_by(*table.primary_key.columns)
    result = source.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(ordered)
    for partition in result.mappings().partitions(BATCH_ROWS):
        yield [dict(row) for row in partition]


def _move_sequences(target: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL hands out ids from sequences, which an explicit insert does not advance."""
    if target.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer):
                continue
            sequence = target.scalar(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                     {"table": table.name, "column": column.name})
            if sequence is None:
                continue
            highest = target.scalar(select(func.max(column)))
            target.execute(text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
                           {"sequence": sequence, "value": highest or 1, "called": highest is not None})


def _comparable(value: object) -> object:
    if isinstance(value, datetime):
        return (value.astimezone(timezone.utc) if value.tzinfo else value).isoformat()
    if isinstance(value, (date, time, Decimal)):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float):
        return repr(value)
    return value


def table_checksum(connection: Connection, table: Table) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for batch in _rows(connection, table):
        for row in batch:
            values = [_comparable(row[column.name]) for column in table.columns]
            digest.update(json.dumps(values, sort_keys=True, default=str).encode())
            digest.update(b"\n")
            count += 1
    return count, digest.hexdigest()


def copy_database(source_engine: Engine, destination: Engine,
                  report: Callable[[str], None] = lambda line: None) -> dict[str, tuple[int, str]]:
    """Copy every table; return {table: (rows, checksum)} as verified on both sides."""
    with source_engine.connect() as source, destination.begin() as target:
        tables = _refuse_unless_empty(source, target, tables_to_copy(source))
        # Through the metadata, so that what it does before creating tables (pg_trgm on PostgreSQL) happens too.
        db.metadata.create_all(target, tables=[t for t in tables if t.metadata is db.metadata], checkfirst=True)
        for table in tables:
            if table.metadata is not db.metadata:
                table.create(target, checkfirst=True)
        for table in tables:
            copied = 0
            for batch in _rows(source, table):
                target.execute(table.insert(), batch)
                copied += len(batch)
            report(f"{table.name}: {copied} rows")
        _move_sequences(target, tables)
    verified = {}
    with source_engine.connect() as source, destination.connect() as target:
        for table in tables_to_copy(source):
            expected, found = table_checksum(source, table), table_checksum(target, table)
            if expected != found:
                raise click.ClickException(
                    f"{table.name} differs after the copy: {expected[0]} rows ({expected[1][:12]}) in the source, "
                    f"{found[0]} ({found[1][:12]}) in the target.")
            verified[table.name] = found
    return verified


@click.command("copy-to")
@click.argument("url")
def copy_to_command(url: str) -> None:
    """Copy this whole database into the empty database at URL (e.g. postgresql://user@host/hemicycle)."""
    destination = target_engine(url)
    try:
        verified = copy_database(db.engine, destination, report=click.echo)
    finally:
        destination.dispose()
    rows = sum(count for count, _ in verified.values())
    say(_l("Copied %(tables)d tables, %(rows)d rows; every table's count and checksum match.",
           tables=len(verified), rows=rows))
    say(_l("Point DATABASE_URL at the new database and restart the site."))
