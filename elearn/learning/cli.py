"""`flask courses check|import [PATH]`: validate course files and load them into the database."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from elearn.learning.content.loading import load_courses
from elearn.learning.importing import CourseProblems, import_path

courses_cli = AppGroup("courses", help="Course content kept as files in courses/.")


def _root(path: str | None) -> Path:
    return Path(path) if path else Path(current_app.config["COURSES_PATH"])


@courses_cli.command("check")
@click.argument("path", required=False)
def check(path: str | None):
    """Check every course under PATH (default: courses/) without writing anything."""
    courses, problems = load_courses(_root(path))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found")
    lessons = sum(len(course.lessons) for course in courses)
    click.echo(f"{len(courses)} course(s), {lessons} lesson(s): no problems")


@courses_cli.command("import")
@click.argument("path", required=False)
@click.option("--force", is_flag=True, help="Rewrite courses whose files have not changed.")
def import_(path: str | None, force: bool):
    """Check, then import every course under PATH (default: courses/), all or nothing."""
    try:
        results = import_path(_root(path), force=force)
    except CourseProblems as error:
        for problem in error.problems:
            click.echo(str(problem))
        raise click.ClickException(f"{len(error.problems)} problem(s) found: nothing was imported") from None
    for result in results:
        retired = f", {result.retired} retired" if result.retired else ""
        click.echo(f"{result.slug}: {result.status} ({result.lessons} lessons{retired})")
