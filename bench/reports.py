"""Participation report at scale: the page, the CSV and the spreadsheet on a tiny and on a sizable database.

    .venv/bin/python bench/reports.py [--activities 2000] [--registrations 50000] [--sessions 2]
                                      [--database-url postgresql+psycopg://postgres@127.0.0.1/test]

Without --database-url it uses a temporary SQLite file; with a PostgreSQL URL it
creates a database of its own on that server and drops it at the end. It seeds a
tiny dataset (1% of the sizes), measures each output as a signed-in trainer
(median time of 3 requests, SQL statements, peak Python memory of one request
with tracemalloc), then adds the sizable dataset and measures again, and prints
each figure big against tiny as a ratio. Attendance rows: about registrations x
sessions (nine in ten present).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402

from bench._common import scratch_database  # noqa: E402
from elearn import create_app  # noqa: E402
from elearn.access import Role  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.people.affiliations import PoliticalAffiliation  # noqa: E402
from elearn.people.models import Gender, Parliament, Person, PersonKind, PoliticalSide  # noqa: E402
from elearn.people.services import set_password  # noqa: E402
from elearn.scheduling.models import (  # noqa: E402
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Modality,
    Programme,
    ProgrammeKind,
    Registration,
    RegistrationState,
)

ROUTES = ("/reports/participation", "/reports/participation.csv", "/reports/participation.xlsx")
NOW = datetime.now(timezone.utc)
PASSWORD = "bench-password-0123"


def seed(activities: int, registrations: int, sessions: int, batch: str, rng: random.Random) -> None:
    """Held activities over the last three years, each with `sessions` sessions, people and their attendance."""
    parliaments = list(db.session.scalars(select(Parliament.id)))
    if not parliaments:
        db.session.execute(insert(Parliament), [
            dict(name_en=f"Parliament {n}", name_fr=f"Parlement {n}", country_code="GM", chamber_name=f"Assembly {n}",
                 receives_assistance=True, working_languages=["en"]) for n in range(20)])
        db.session.execute(insert(Programme), [
            dict(slug=f"programme-{n}", title=f"Programme {n}", kind=ProgrammeKind.BILATERAL,
                 funders=["EU" if n % 2 else "UNDP"], women_target_percent=40) for n in range(10)])
        parliaments = list(db.session.scalars(select(Parliament.id)))
    programmes = list(db.session.scalars(select(Programme.id)))
    people_count = max(registrations // 5, 10)
    db.session.execute(insert(Person), [
        dict(email=f"{batch}-{n}@bench.example", full_name=f"Person {batch} {n}",
             kind=PersonKind.MP if n % 2 else PersonKind.STAFF, parliament_id=rng.choice(parliaments),
             gender=rng.choice([Gender.WOMAN, Gender.MAN, None])) for n in range(people_count)])
    people = list(db.session.scalars(select(Person.id, Person.kind).where(Person.email.like(f"{batch}-%"))
                                     .order_by(Person.id)).all())
    members = list(db.session.execute(select(Person.id).where(Person.email.like(f"{batch}-%"),
                                                              Person.kind == PersonKind.MP)).scalars())
    sides = [PoliticalSide.RULING, PoliticalSide.OPPOSITION, PoliticalSide.INDEPENDENT]
    db.session.execute(insert(PoliticalAffiliation), [
        dict(person_id=pid, side=rng.choice(sides), effective_from=date(2020, 1, 1)) for pid in members])
    starts = [(NOW - timedelta(days=rng.randint(40, 3 * 365))).replace(hour=8, minute=0, second=0, microsecond=0)
              for _n in range(activities)]
    db.session.execute(insert(Activity), [
        dict(title=f"Activity {batch} {n}", modality=rng.choice(list(Modality)), timezone="Europe/Paris",
             status=ActivityStatus.COMPLETED, languages=["en"], programme_id=rng.choice(programmes + [None]),
             starts_at=start, ends_at=start + timedelta(days=sessions - 1, hours=8))
        for n, start in enumerate(starts)])
    activity_rows = db.session.execute(select(Activity.id, Activity.starts_at).where(
        Activity.title.like(f"Activity {batch} %")).order_by(Activity.id)).all()
    db.session.execute(insert(ActivitySession), [
        dict(activity_id=aid, starts_at=start + timedelta(days=s), ends_at=start + timedelta(days=s, hours=8),
             all_day=False) for aid, start in activity_rows for s in range(sessions)])
    session_ids: dict[int, list[int]] = {}
    for sid, aid in db.session.execute(select(ActivitySession.id, ActivitySession.activity_id).where(
            ActivitySession.activity_id.in_([a for a, _s in activity_rows]))):
        session_ids.setdefault(aid, []).append(sid)
    pairs, seen = [], set()
    while len(pairs) < registrations:
        pair = (rng.choice(activity_rows)[0], rng.choice(people))
        if pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    for start in range(0, len(pairs), 10_000):
        db.session.execute(insert(Registration), [
            dict(activity_id=aid, person_id=pid, state=RegistrationState.CONFIRMED)
            for aid, pid in pairs[start:start + 10_000]])
    registration_rows = db.session.execute(select(Registration.id, Registration.activity_id).join(
        Person, Person.id == Registration.person_id).where(Person.email.like(f"{batch}-%"))).all()
    marks = []
    for rid, aid in registration_rows:
        for sid in session_ids[aid]:
            marks.append(dict(registration_id=rid, session_id=sid, status=AttendanceStatus.PRESENT
                              if rng.random() < 0.9 else AttendanceStatus.ABSENT))
    for start in range(0, len(marks), 20_000):
        db.session.execute(insert(Attendance), marks[start:start + 20_000])
    db.session.commit()


def measure(app, client) -> dict[str, tuple[float, int, int, int]]:
    """Per route: median seconds of 3, statements, peak traced bytes, response bytes."""
    result = {}
    engine = db.engine
    for route in ROUTES:
        times = []
        for _n in range(3):
            began = time.perf_counter()
            body = client.get(route).get_data()
            times.append(time.perf_counter() - began)
        statements = []

        def count(*_args, statements=statements):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        tracemalloc.start()
        body = client.get(route).get_data()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        event.remove(engine, "before_cursor_execute", count)
        result[route] = (statistics.median(times), len(statements), peak, len(body))
    return result


def counts() -> tuple[int, int, int]:
    return (db.session.scalar(select(db.func.count()).select_from(Activity)),
            db.session.scalar(select(db.func.count()).select_from(Registration)),
            db.session.scalar(select(db.func.count()).select_from(Attendance)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--registrations", type=int, default=50_000)
    parser.add_argument("--sessions", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    options = parser.parse_args()
    with scratch_database(options.database_url) as url:
        os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", tempfile.mkdtemp(prefix="hemicycle-bench-"))
        app = create_app({"TESTING": True, "SECRET_KEY": uuid.uuid4().hex * 2, "SQLALCHEMY_DATABASE_URI": url,
                          "SITE_URL": "https://hemicycle.test", "WTF_CSRF_ENABLED": False})
        rng = random.Random(7)
        with app.app_context():
            db.create_all()
            trainer = Person(email="trainer@bench.example", full_name="Trainer", role=Role.TRAINER)
            set_password(trainer, PASSWORD)
            db.session.add(trainer)
            db.session.commit()
            client = app.test_client()
            response = client.post("/account/login", data={"email": trainer.email, "password": PASSWORD})
            assert response.status_code == 302, "the trainer could not sign in"
            scale = 100
            began = time.perf_counter()
            seed(max(options.activities // scale, 5), max(options.registrations // scale, 50), options.sessions,
                 "tiny", rng)
            tiny_counts, tiny = counts(), measure(app, client)
            seed(options.activities, options.registrations, options.sessions, "big", rng)
            big_counts, big = counts(), measure(app, client)
            seeded = time.perf_counter() - began
            print(f"{db.engine.dialect.name}; tiny: {tiny_counts[0]:,} activities, {tiny_counts[1]:,} "
                  f"registrations, {tiny_counts[2]:,} attendance rows; big: {big_counts[0]:,} / {big_counts[1]:,} "
                  f"/ {big_counts[2]:,} (seeded and measured in {seeded:.0f} s)")
            print(f"{'route':32} {'tiny ms':>8} {'big ms':>8} {'ratio':>6} {'statements':>11} "
                  f"{'peak KB tiny':>12} {'peak KB big':>11} {'ratio':>6}")
            for route in ROUTES:
                (t1, s1, m1, _b1), (t2, s2, m2, _b2) = tiny[route], big[route]
                print(f"{route:32} {t1 * 1000:8.1f} {t2 * 1000:8.1f} {t2 / t1:6.1f} {f'{s1} / {s2}':>11} "
                      f"{m1 / 1024:12.0f} {m2 / 1024:11.0f} {m2 / m1:6.2f}")
            db.engine.dispose()


if __name__ == "__main__":
    main()
