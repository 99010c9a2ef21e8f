"""Test helpers: CSRF tokens from real pages, signing in, counting SQL statements, a frozen clock."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import event

from elearn import database
from elearn.extensions import db

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str = "/account/forgot") -> str:
    """Fetch a page and read its CSRF token, as a browser would."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict | None = None, *, token_from: str | None = None, **kwargs):
    """POST a form with a valid CSRF token taken from `token_from` (default: the same path, else /)."""
    form = dict(data or {})
    form["csrf_token"] = csrf_token(client, token_from or "/account/forgot")
    return client.post(path, data=form, **kwargs)


def sign_in(client, email: str, password: str, remember: bool = False):
    return post_form(client, "/account/login",
                     {"email": email, "password": password, "remember": "y" if remember else ""})


def text(response) -> str:
    return response.get_data(as_text=True)


@contextmanager
def count_queries():
    """Count SQL statements run inside the block: `with count_queries() as counter: ...; counter.count`."""

    class Counter:
        count = 0
        statements: list[str] = []

    counter = Counter()
    counter.statements = []

    def before_execute(conn, cursor, statement, parameters, context, executemany):
        counter.count += 1
        counter.statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before_execute)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before_execute)


@contextmanager
def frozen_clock(at: datetime):
    """Freeze the application's idea of "now" (elearn.database.utcnow)."""
    previous = database.frozen_now
    database.frozen_now = at
    try:
        yield
    finally:
        database.frozen_now = previous


def sign_in_in_browser(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the real form in a Playwright page, as a person would, and wait for the dashboard."""
    page.goto(f"{base_url}/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/dashboard")


def save_course_offline(page, base_url: str, slug: str, saved: str) -> None:
    """Press "Make available offline" on the course's page and wait for `saved`, the panel's word that it is."""
    page.goto(f"{base_url}/courses/{slug}")
    page.locator("#offline-panel [data-action=save]").click()
    page.locator("#offline-panel .offline-status").filter(has_text=saved).wait_for()


def run_jobs() -> None:
    """Do what the background worker would: run every job queued so far (e.g. the mails of an activity's change).

    Every job, even one queued under a frozen clock set in the future: the worker would get to it.
    """
    from datetime import datetime, timezone

    from elearn.jobs.services import run_due

    run_due(worker_id="test-worker", now=datetime(2100, 1, 1, tzinfo=timezone.utc))
