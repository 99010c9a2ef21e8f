"""`flask courses check|import [PATH]`: validate course files and load them into the database."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from elearn.learning.content.loading import load_courses
from elearn.learning.importing import CourseProblems, import_path
from elearn.terminal import failure, say

IMPORT_STATUSES = {"created": _lp("course import", "created"), "updated": _lp("course import", "updated"),
                   "unchanged": _lp("course import", "unchanged")}

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
        raise failure(_l("problems found: %(count)d", count=len(problems)))
    lessons = sum(len(course.lessons) for course in courses)
    say(_l("courses: %(courses)d, lessons: %(lessons)d; no problems", courses=len(courses), lessons=lessons))


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
        raise failure(_l("problems found: %(count)d; nothing was imported", count=len(error.problems))) from None
    for result in results:
        status = IMPORT_STATUSES.get(result.status, result.status)
        if result.retired:
            say(_l("%(course)s: %(status)s (%(lessons)d lessons, %(retired)d retired)", course=result.slug,
                   status=status, lessons=result.lessons, retired=result.retired))
        else:
            say(_l("%(course)s: %(status)s (%(lessons)d lessons)", course=result.slug, status=status,
                   lessons=result.lessons))
