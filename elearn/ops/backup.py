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
from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from elearn.extensions import db

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
        raise click.ClickException(f"{name} is not installed (Debian: apt install postgresql-client).")
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
        raise click.ClickException(f"Backups of {url.get_backend_name()} databases are not supported.")
    _counts_file(target).write_text(json.dumps(counts, indent=1, sort_keys=True))
    return counts


def restore_backup(source: Path) -> dict[str, int]:
    if not source.is_file():
        raise click.ClickException(f"There is no backup at {source}.")
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
        raise click.ClickException(f"Backups of {url.get_backend_name()} databases are not supported.")
    return table_counts()


def differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    return [f"{name}: {expected.get(name, 'no table')} in the backup, {found.get(name, 'no table')} restored"
            for name in sorted(set(expected) | set(found)) if expected.get(name) != found.get(name)]


@backup_cli.command("create")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def create_command(target: Path) -> None:
    """Write a backup of the whole database to TARGET (and TARGET.counts.json)."""
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose a new file name.")
    counts = create_backup(target)
    click.echo(f"Backed up {len(counts)} tables, {sum(counts.values())} rows, to {target}.")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the whole database with the backup in SOURCE, then check every table's rows."""
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Stop the site first. Go on?",
                      abort=True)
    found = restore_backup(source)
    counts_file = _counts_file(source)
    if not counts_file.is_file():
        click.echo(f"Restored {len(found)} tables, {sum(found.values())} rows ({counts_file} is missing: "
                   "nothing to compare with).")
        return
    mismatched = differences(json.loads(counts_file.read_text()), found)
    if mismatched:
        raise click.ClickException("The restored database differs from the backup:\n" + "\n".join(mismatched))
    click.echo(f"Restored {len(found)} tables, {sum(found.values())} rows: every count matches the backup.")


@backup_cli.command("counts")
def counts_command() -> None:
    """Print the rows of every table."""
    for name, count in table_counts().items():
        click.echo(f"{name}\t{count}")
