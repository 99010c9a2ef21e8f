"""Editing an activity with thousands of registrations: the request's time, and the worker's that mails them.

    .venv/bin/python bench/fanout.py [--registrations 8000] [--edits 5]
                                     [--database-url postgresql+psycopg://postgres@127.0.0.1/test]

A trainer saves the edit form (a session moved by an hour, through the real
view with the Flask test client) of an activity with 10 registrations (the
baseline) and of one with --registrations; each save is timed and its SQL
statements counted. Then one worker runs the job the big edit queued and the
time it takes to write the mails is printed. Before the fan-out became a job,
the request did that work itself (the issue measured 18.4 s and 14,925
statements at 8,000 registrations): the "before" line is the edit plus that
expansion, measured here in the same run.

Without --database-url it uses a temporary SQLite file; with a PostgreSQL URL
it creates a database of its own on that server and drops it at the end.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from datetime import time as clock
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, insert, select  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench._common import bench_app, scratch_database  # noqa: E402
from elearn.access import Role  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.jobs.models import Job, JobState  # noqa: E402
from elearn.jobs.services import run_due  # noqa: E402
from elearn.mail.models import OutboxMessage  # noqa: E402
from elearn.people.models import Person  # noqa: E402
from elearn.scheduling import services  # noqa: E402
from elearn.scheduling.models import ActivityStatus, Modality, Registration, RegistrationState  # noqa: E402


class FormReader(HTMLParser):
    """The fields a browser would send back from the page's main form (checked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)


def edit_form(client, activity_id: int, hour: int) -> list[tuple[str, str]]:
    reader = FormReader()
    reader.feed(client.get(f"/manage/activities/{activity_id}/edit").get_data(as_text=True))
    times = {"sessions-0-start_time": f"{hour:02}:00", "sessions-0-end_time": f"{hour + 2:02}:00"}
    return [(name, times.get(name, value)) for name, value in reader.fields if name != "search"]


def seed(registrations: int) -> tuple[int, int]:
    """A trainer, a small and a big published activity; people and registrations inserted in bulk."""
    password = generate_password_hash("bench-password-1", method="pbkdf2:sha256:1000")
    db.session.add(Person(email="trainer@bench.example", full_name="Bench Trainer", role=Role.TRAINER,
                          password_hash=password))
    db.session.commit()
    ids = []
    for size in (10, registrations):
        activity = services.create_activity(services.ActivityInput(
            title=f"Seminar for {size}", modality=Modality.SEMINAR, timezone="Europe/Paris", capacity=size,
            venue_name="Room A", venue_city="Paris", sessions=(services.SessionInput(
                start_date=date(2030, 3, 4), start_time=clock(9), end_time=clock(11)),)))
        services.set_status(activity, ActivityStatus.PUBLISHED)
        first = (db.session.scalar(select(func.max(Person.id))) or 0) + 1
        db.session.execute(insert(Person), [
            {"email": f"p{activity.id}-{n}@bench.example", "full_name": f"Participant {n}",
             "preferred_language": "fr" if n % 3 == 0 else "en", "timezone": "Africa/Banjul"}
            for n in range(size)])
        people = db.session.scalars(select(Person.id).where(Person.id >= first).order_by(Person.id)).all()
        db.session.execute(insert(Registration), [
            {"activity_id": activity.id, "person_id": person_id, "state": RegistrationState.CONFIRMED}
            for person_id in people])
        db.session.commit()
        ids.append(activity.id)
    return ids[0], ids[1]


def timed_edits(app, client, activity_id: int, edits: int) -> tuple[list[float], list[int]]:
    times, statements = [], []
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    for n in range(edits):
        form = edit_form(client, activity_id, hour=9 + (n + 1) % 2)
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        counter["n"] = 0
        began = time.perf_counter()
        response = client.post(f"/manage/activities/{activity_id}/edit", data=MultiDict(form))
        times.append((time.perf_counter() - began) * 1000)
        event.remove(engine, "before_cursor_execute", count)
        statements.append(counter["n"])
        if response.status_code != 302:
            raise SystemExit(f"the edit was refused ({response.status_code}):\n{response.get_data(as_text=True)[:2000]}")
    return times, statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=8000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    options = parser.parse_args()

    with scratch_database(options.database_url) as url:
        app = bench_app(url)
        with app.app_context():
            db.create_all()
            small, big = seed(options.registrations)
            dialect = db.engine.dialect.name
            batch = app.config["JOBS_BATCH_SIZE"]
        client = app.test_client()
        client.post("/account/login", data={"email": "trainer@bench.example", "password": "bench-password-1"})
        small_ms, small_statements = timed_edits(app, client, small, options.edits)
        with app.app_context():
            while run_due(worker_id="bench").batches:  # the small activity's jobs, out of the way
                pass
            before = db.session.scalar(select(func.count(OutboxMessage.id)))
        big_ms, big_statements = timed_edits(app, client, big, options.edits)
        with app.app_context():
            jobs = db.session.scalar(select(func.count(Job.id)).where(Job.state == JobState.PENDING))
            queued_by_requests = db.session.scalar(select(func.count(OutboxMessage.id))) - before
            # One worker expands one big edit's job: the work the request used to do itself.
            began = time.perf_counter()
            run_due(worker_id="bench", limit=1)
            worker_ms = (time.perf_counter() - began) * 1000
            mails = db.session.scalar(select(func.count(OutboxMessage.id))) - before
            db.session.remove()
            db.engine.dispose()

    small_p50, big_p50 = statistics.median(small_ms), statistics.median(big_ms)
    print(f"database: {dialect}; {options.edits} edits of each activity through the edit form")
    print(f"edit, 10 registrations:      p50 {small_p50:8.1f} ms  max {max(small_ms):8.1f} ms  "
          f"statements {statistics.median(small_statements):.0f}")
    print(f"edit, {options.registrations:,} registrations:   p50 {big_p50:8.1f} ms  max {max(big_ms):8.1f} ms  "
          f"statements {statistics.median(big_statements):.0f}")
    print(f"ratio big/small (p50):       {big_p50 / small_p50:.2f}x")
    print(f"jobs queued by the {options.edits} big edits: {jobs}; mails queued inside those requests: "
          f"{queued_by_requests}")
    print(f"worker, one big edit's job: {mails:,} mails written in {worker_ms / 1000:.1f} s "
          f"({mails / (worker_ms / 1000):.0f} mails/s, batches of {batch})")
    print(f"before (the request did that fan-out itself): about {big_p50 + worker_ms:,.0f} ms per big edit, "
          f"{(big_p50 + worker_ms) / big_p50:.0f}x the edit now")


if __name__ == "__main__":
    main()
