"""`flask backup create|restore|counts`: a whole-installation backup and its restore, checked by counts.

SQLite is copied with its online backup API (a consistent copy while the site runs);
PostgreSQL with pg_dump's custom format and pg_restore. Beside each backup a
`<file>.counts.json` records the rows of every table, and a restore fails loudly if the
restored database does not hold the same counts.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, run with an argument list, never through a shell
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from elearn.extensions import db
from elearn.terminal import ask_to_confirm, failure, say

backup_cli = AppGroup("backup", help="Back up and restore the whole database.")


def table_counts() -> dict[str, int]:
    """Rows in every table the database holds (the schema version table included)."""
    names = sorted(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return {name: connection.scalar(select(func.count()).select_from(table(name))) for name in names}


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _libpq_environment(url: URL) -> dict[str, str]:
    """pg_dump and pg_restore learn where to connect from the environment, so no password shows in `ps`."""
    environment = dict(os.environ)
    for variable, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                            ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            environment[variable] = str(value)
    return environment


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise failure(_l("%(program)s is not installed (Debian: apt install postgresql-client).", program=name))
    return path


def _counts_file(backup: Path) -> Path:
    return backup.with_name(backup.name + ".counts.json")


def create_backup(target: Path) -> dict[str, int]:
    url = _database_url()
    target.parent.mkdir(parents=True, exist_ok=True)
    counts = table_counts()
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)],
                       env=_libpq_environment(url), check=True)
    else:
        raise failure(_l("Backups of %(backend)s databases are not supported.", backend=url.get_backend_name()))
    _counts_file(target).write_text(json.dumps(counts, indent=1, sort_keys=True))
    return counts


def restore_backup(source: Path) -> dict[str, int]:
    if not source.is_file():
        raise failure(_l("There is no backup at %(path)s.", path=str(source)))
    url = _database_url()
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        backup = sqlite3.connect(source)
        live = sqlite3.connect(url.database)
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
    elif url.get_backend_name() == "postgresql":
        subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--dbname", url.database, str(source)], env=_libpq_environment(url), check=True)
    else:
        raise failure(_l("Backups of %(backend)s databases are not supported.", backend=url.get_backend_name()))
    return table_counts()


def differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    return [f"{name}: {expected.get(name, 'no table')} in the backup, {found.get(name, 'no table')} restored"
            for name in sorted(set(expected) | set(found)) if expected.get(name) != found.get(name)]


@backup_cli.command("create")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def create_command(target: Path) -> None:
    """Write a backup of the whole database to TARGET (and TARGET.counts.json)."""
    if target.exists():
        raise failure(_l("%(path)s exists already; choose a new file name.", path=str(target)))
    counts = create_backup(target)
    say(_l("Backed up %(tables)d tables, %(rows)d rows, to %(path)s.", tables=len(counts),
            rows=sum(counts.values()), path=str(target)))


@backup_cli.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the whole database with the backup in SOURCE, then check every table's rows."""
    if not yes:
        ask_to_confirm(_l("This replaces everything in the database with the backup. Stop the site first. Go on?"))
    found = restore_backup(source)
    counts_file = _counts_file(source)
    if not counts_file.is_file():
        say(_l("Restored %(tables)d tables, %(rows)d rows (%(path)s is missing: nothing to compare with).",
               tables=len(found), rows=sum(found.values()), path=str(counts_file)))
        return
    mismatched = differences(json.loads(counts_file.read_text()), found)
    if mismatched:
        raise failure(_l("The restored database differs from the backup:\n%(differences)s",
                            differences="\n".join(mismatched)))
    say(_l("Restored %(tables)d tables, %(rows)d rows: every count matches the backup.", tables=len(found),
            rows=sum(found.values())))


@backup_cli.command("counts")
def counts_command() -> None:
    """Print the rows of every table."""
    for name, count in table_counts().items():
        click.echo(f"{name}\t{count}")
