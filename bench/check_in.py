"""Checking people in at the door: the time of each POST of the check-in page, and of the scanners' batches.

    .venv/bin/python bench/check_in.py [--participants 200] [--batch 50]
                                       [--database-url postgresql+psycopg://postgres@127.0.0.1/test]

An activity whose session is under way has --participants confirmed registrations with tickets. A trainer
signed in (the Flask test client, the real views) types every code into the page's form, one POST each (a
check-in recorded), then every code again (already checked in); each POST is timed with the page it redirects
to, and its SQL statements counted. Then the codes go once more through the JSON endpoint in batches of
--batch (already there), as an offline queue would send them. Prints median and p95 in milliseconds.

Without --database-url it uses a temporary SQLite file; with a PostgreSQL URL it creates a database of its
own on that server and drops it at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, insert, select, update  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench._common import bench_app, scratch_database  # noqa: E402
from elearn.access import Role  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.onsite import tickets  # noqa: E402
from elearn.people.models import Parliament, Person  # noqa: E402
from elearn.scheduling import services  # noqa: E402
from elearn.scheduling.models import (  # noqa: E402
    ActivitySession,
    ActivityStatus,
    Attendance,
    Modality,
    Registration,
    RegistrationState,
)


def seed(participants: int) -> tuple[int, list[str]]:
    """A trainer, a published activity under way now, its confirmed participants (bulk) and their tickets."""
    password = generate_password_hash("bench-password-1", method="pbkdf2:sha256:1000")
    trainer = Person(email="trainer@bench.example", full_name="Bench Trainer", role=Role.TRAINER,
                     password_hash=password, timezone="Europe/Paris")
    parliament = Parliament(name_en="National Assembly of The Gambia", name_fr="Assemblée nationale de Gambie",
                            country_code="GM", chamber_name="National Assembly")
    db.session.add_all([trainer, parliament])
    db.session.commit()
    activity = services.create_activity(services.ActivityInput(
        title="Committee work seminar", modality=Modality.SEMINAR, timezone="Europe/Paris", capacity=participants,
        venue_name="Room A", venue_city="Paris", trainer_ids=(trainer.id,), sessions=(services.SessionInput(
            start_date=date(2030, 3, 4), start_time=clock(9), end_time=clock(17)),)))
    services.set_status(activity, ActivityStatus.PUBLISHED)
    now = datetime.now(timezone.utc)
    db.session.execute(update(ActivitySession).where(ActivitySession.activity_id == activity.id).values(
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=8)))
    first = (db.session.scalar(select(func.max(Person.id))) or 0) + 1
    db.session.execute(insert(Person), [
        {"email": f"p{n}@bench.example", "full_name": f"Participant {n}", "parliament_id": parliament.id}
        for n in range(participants)])
    people = db.session.scalars(select(Person.id).where(Person.id >= first).order_by(Person.id)).all()
    db.session.execute(insert(Registration), [
        {"activity_id": activity.id, "person_id": person_id, "state": RegistrationState.CONFIRMED}
        for person_id in people])
    codes = [tickets.issue(registration).code for registration in db.session.scalars(
        select(Registration).where(Registration.activity_id == activity.id).order_by(Registration.id))]
    db.session.commit()
    return activity.id, codes


class Counter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        self.count += 1


def typed(client, engine, activity_id: int, codes: list[str]) -> tuple[list[float], list[float], list[int]]:
    """Each code typed into the form: the POST alone, the POST with the page it redirects to, its statements."""
    posts, round_trips, statements = [], [], []
    page = f"/check-in/{activity_id}"
    for code in codes:
        with Counter(engine) as counter:
            began = time.perf_counter()
            response = client.post(page, data={"code": tickets.grouped(code)})
            posted = time.perf_counter()
            shown = client.get(response.headers["Location"])
            done = time.perf_counter()
        if response.status_code != 302 or shown.status_code != 200:
            raise SystemExit(f"check-in refused: {response.status_code} {shown.status_code}")
        posts.append((posted - began) * 1000)
        round_trips.append((done - began) * 1000)
        statements.append(counter.count)
    return posts, round_trips, statements


def batches(client, activity_id: int, codes: list[str], size: int) -> list[float]:
    times = []
    now = datetime.now(timezone.utc).isoformat()
    for first in range(0, len(codes), size):
        scans = [{"scan_id": str(uuid.uuid4()), "code": code, "scanned_at": now} for code in codes[first:first + size]]
        began = time.perf_counter()
        response = client.post(f"/check-in/{activity_id}/scans", data=json.dumps({"scans": scans}),
                               content_type="application/json")
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"batch refused: {response.status_code} {response.get_data(as_text=True)[:500]}")
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def line(label: str, values: list[float]) -> str:
    return f"{label:<44} median {statistics.median(values):7.1f} ms   p95 {p95(values):7.1f} ms   n={len(values)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    options = parser.parse_args()

    with scratch_database(options.database_url) as url:
        app = bench_app(url)
        with app.app_context():
            db.create_all()
            activity_id, codes = seed(options.participants)
            dialect, engine = db.engine.dialect.name, db.engine
        client = app.test_client()
        client.post("/account/login", data={"email": "trainer@bench.example", "password": "bench-password-1"})
        recorded = typed(client, engine, activity_id, codes)
        already = typed(client, engine, activity_id, codes)
        batch_ms = batches(client, activity_id, codes, options.batch)
        with app.app_context():
            marks = db.session.scalar(select(func.count(Attendance.id)))
            db.session.remove()
            db.engine.dispose()

    print(f"database: {dialect}; {options.participants} confirmed participants; {marks} attendance rows after "
          f"{3 * len(codes)} scans")
    print(line("form POST, checked in", recorded[0]))
    print(line("form POST + the page it redirects to", recorded[1]))
    print(line("form POST, already checked in", already[0]))
    print(f"{'statements per POST (checked in / already)':<44} median {statistics.median(recorded[2]):.0f} / "
          f"{statistics.median(already[2]):.0f} (the page after it: included)")
    per_scan = [ms / options.batch for ms in batch_ms]
    print(line(f"JSON batch of {options.batch} scans", batch_ms))
    print(f"{'  per scan in a batch':<44} median {statistics.median(per_scan):7.1f} ms")


if __name__ == "__main__":
    main()
