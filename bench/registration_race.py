#!/usr/bin/env python3
"""Registration race: many learners register for the same activity at the same moment.

Starts gunicorn with several workers on a fresh database, signs in N learners,
then fires their N registrations for an activity with S seats at once, over
HTTP from 127.0.0.1. Then, as a baseline, the same N registrations one after
another for a second, identical activity. Prints what the database holds and
the wall times; exits non-zero if anything is wrong (overbooking, missing or
duplicate waitlist positions, failed requests).

    .venv/bin/python bench/registration_race.py                      # SQLite file in a temporary folder
    .venv/bin/python bench/registration_race.py --concurrency 500    # 500 registrations at once, 20 seats
    .venv/bin/python bench/registration_race.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test  # a fresh database on that server

With PostgreSQL a database `hemicycle_bench_<random>` is created on the server
of the URL and dropped at the end.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-passphrase-long-enough"
# Cheap on purpose, so that signing in 200 people takes no time; the method is part of the stored hash.
HASH_METHOD = "pbkdf2:sha256:1000"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="",
                        help="SQLAlchemy URL; PostgreSQL: a fresh database is made on that server "
                             "(default: a new SQLite file in a temporary folder)")
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=0,
                        help="registrations in flight at once in the concurrent run (default: all of them, "
                             "--learners; a larger value raises --learners to match)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and database")
    args = parser.parse_args(argv)
    args.learners = max(args.learners, args.concurrency)
    args.concurrency = min(args.concurrency or args.learners, args.learners)
    return args


# Database ---------------------------------------------------------------------

class Database:
    """The database the bench runs on: a new SQLite file, or a new PostgreSQL database."""

    def __init__(self, url: str, folder: Path, keep: bool):
        from sqlalchemy.engine import make_url

        self.keep = keep
        self.admin_engine = None
        self.name = ""
        if not url:
            self.url = f"sqlite:///{folder / 'bench.db'}"
            self.label = f"SQLite {folder / 'bench.db'}"
        elif make_url(url).get_backend_name() == "postgresql":
            from sqlalchemy import create_engine, text

            server = make_url(url)
            self.name = f"hemicycle_bench_{uuid.uuid4().hex[:10]}"
            self.admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
            with self.admin_engine.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"'))
            self.url = server.set(database=self.name).render_as_string(hide_password=False)
            self.label = f"PostgreSQL {server.host}:{server.port or 5432}/{self.name}"
        else:
            self.url = url
            self.label = url

    def drop(self) -> None:
        if self.admin_engine is None:
            return
        if not self.keep:
            from sqlalchemy import text

            with self.admin_engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin_engine.dispose()


def app_environment(database_url: str, folder: Path) -> dict:
    """What the app reads from the environment, for migrations and for gunicorn."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "HEMICYCLE_INSTANCE_PATH": str(folder / "instance"),
        "RATELIMIT_STORAGE_URI": "memory://",
        # Every sign-in comes from 127.0.0.1: let them all through.
        "LOGIN_LIMIT_PER_IP": "100000 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "1000 per minute",
        # Plain HTTP on loopback: the session cookie must come back without TLS.
        "SESSION_COOKIE_SECURE": "false",
        "MAIL_SERVER": "",
        "SITE_URL": "http://127.0.0.1",
    }


def migrate(env: dict) -> None:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr}")


def seed(app, learners: int, seats: int) -> tuple[list[str], int, int]:
    """`learners` people who can sign in, and two identical published activities 20 and 40 days ahead."""
    from werkzeug.security import generate_password_hash

    from elearn.access import Role
    from elearn.database import utcnow
    from elearn.extensions import db
    from elearn.people.models import Person, PersonKind
    from elearn.scheduling import services
    from elearn.scheduling.models import ActivityStatus, Audience, Modality

    password_hash = generate_password_hash(PASSWORD, method=HASH_METHOD)
    emails = [f"learner{n:04d}@bench.example.org" for n in range(1, learners + 1)]
    with app.app_context():
        db.session.add_all(Person(email=email, full_name=f"Learner {n}", kind=PersonKind.STAFF, role=Role.LEARNER,
                                  password_hash=password_hash) for n, email in enumerate(emails, start=1))
        db.session.commit()
        activity_ids = []
        for days_ahead in (20, 40):  # apart, so that nobody's second registration clashes with the first
            day = utcnow().date() + timedelta(days=days_ahead)
            activity = services.create_activity(services.ActivityInput(
                title=f"Budget oversight seminar (in {days_ahead} days)", modality=Modality.SEMINAR,
                timezone="Europe/Paris", audience=Audience.BOTH, capacity=seats, venue_name="Room A",
                venue_city="Paris", sessions=(services.SessionInput(start_date=day, start_time=clock(9),
                                                                    end_time=clock(17)),)))
            services.set_status(activity, ActivityStatus.PUBLISHED)
            activity_ids.append(activity.id)
        db.session.remove()
    return emails, activity_ids[0], activity_ids[1]


# HTTP -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Browser:
    """One signed-in person: a cookie and a CSRF token. A new connection per request, as gunicorn's sync workers close it."""

    port: int
    cookies: dict = field(default_factory=dict)
    csrf: str = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
            body = None
            if form is not None:
                body = urlencode(form)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if cookie_value and "max-age=0" not in value.lower():
                        self.cookies[name.strip()] = cookie_value
                    else:
                        self.cookies.pop(name.strip(), None)
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def token_from(self, path: str) -> str:
        status, page = self.request("GET", path)
        match = CSRF_RE.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"no CSRF token on {path} (HTTP {status})")
        return match.group(1)

    def sign_in(self, email: str, token_page: str) -> None:
        status, _ = self.request("POST", "/account/login", {
            "email": email, "password": PASSWORD, "csrf_token": self.token_from("/account/login")})
        if status != 302:
            raise RuntimeError(f"sign-in of {email} answered HTTP {status}")
        self.csrf = self.token_from(token_page)  # signing in starts a new session, so a new token

    def register(self, activity_id: int) -> int:
        status, _ = self.request("POST", f"/activities/{activity_id}/register", {"csrf_token": self.csrf})
        return status


class Gunicorn:
    def __init__(self, env: dict, workers: int, folder: Path):
        self.port = free_port()
        self.log_path = folder / "gunicorn.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--backlog", "2048", "--timeout", "120", "wsgi:app"],
            cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up:\n{self.log_tail()}")
            try:
                status, _ = Browser(self.port).request("GET", "/account/login")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: the arbiter stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# The race ---------------------------------------------------------------------

@dataclass
class Run:
    label: str
    statuses: Counter = field(default_factory=Counter)
    wall: float = 0.0
    slowest: float = 0.0
    states: Counter = field(default_factory=Counter)
    positions: list = field(default_factory=list)
    registrations: int = 0

    def duplicates(self) -> int:
        return sum(n - 1 for n in Counter(self.positions).values() if n > 1)

    def problems(self, learners: int, seats: int) -> list[str]:
        found = []
        confirmed = self.states.get("confirmed", 0)
        if confirmed > seats:
            found.append(f"{self.label}: OVERBOOKED, {confirmed} confirmed for {seats} seats")
        elif confirmed < min(seats, learners):
            found.append(f"{self.label}: {confirmed} confirmed, seats left empty")
        if sorted(self.positions) != list(range(1, learners - min(seats, learners) + 1)):
            found.append(f"{self.label}: waitlist positions are not exactly 1..{learners - seats}")
        if self.registrations != learners:
            found.append(f"{self.label}: {self.registrations} registrations saved for {learners} requests")
        if set(self.statuses) != {302}:
            found.append(f"{self.label}: HTTP answers {dict(self.statuses)} (expected only 302)")
        return found


def concurrent_run(browsers: list[Browser], activity_id: int, concurrency: int) -> Run:
    """`concurrency` threads released together, each sending its share of the registrations one after another."""
    run = Run("concurrent")
    start = threading.Barrier(concurrency)
    timings: list = [None] * len(browsers)  # (began, ended, HTTP status) per request

    def fire(first: int) -> None:
        start.wait()
        for index in range(first, len(browsers), concurrency):
            began = time.perf_counter()
            try:
                status = browsers[index].register(activity_id)
            except OSError as error:
                status = f"{type(error).__name__}"
            timings[index] = (began, time.perf_counter(), status)

    threads = [threading.Thread(target=fire, args=(first,)) for first in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.statuses = Counter(status for _, _, status in timings)
    run.wall = max(end for _, end, _ in timings) - min(began for began, _, _ in timings)
    run.slowest = max(end - began for began, end, _ in timings)
    return run


def sequential_run(browsers: list[Browser], activity_id: int) -> Run:
    run = Run("sequential")
    began = time.perf_counter()
    for browser in browsers:
        before = time.perf_counter()
        try:
            run.statuses[browser.register(activity_id)] += 1
        except OSError as error:
            run.statuses[type(error).__name__] += 1
        run.slowest = max(run.slowest, time.perf_counter() - before)
    run.wall = time.perf_counter() - began
    return run


def read_back(app, activity_id: int, run: Run) -> None:
    from sqlalchemy import select

    from elearn.extensions import db
    from elearn.scheduling.models import Registration, RegistrationState

    with app.app_context():
        rows = db.session.execute(select(Registration.state, Registration.waitlist_position)
                                  .where(Registration.activity_id == activity_id)).all()
        run.registrations = len(rows)
        run.states = Counter(state.value for state, _ in rows)
        run.positions = [position for state, position in rows if state == RegistrationState.WAITLISTED]
        db.session.remove()


def report(runs: list[Run], learners: int, seats: int) -> None:
    expected_positions = f"1..{learners - seats}"
    rows = [
        ("registrations saved", lambda r: r.registrations),
        ("HTTP answers", lambda r: ", ".join(f"{k}: {v}" for k, v in sorted(r.statuses.items(), key=str))),
        ("confirmed", lambda r: r.states.get("confirmed", 0)),
        ("waitlisted", lambda r: r.states.get("waitlisted", 0)),
        ("other states", lambda r: sum(n for s, n in r.states.items() if s not in ("confirmed", "waitlisted"))),
        ("duplicate positions", lambda r: r.duplicates()),
        (f"positions exactly {expected_positions}",
         lambda r: "yes" if sorted(r.positions) == list(range(1, learners - seats + 1)) else "no"),
        ("wall time (s)", lambda r: f"{r.wall:.2f}"),
        ("slowest request (s)", lambda r: f"{r.slowest:.2f}"),
    ]
    print(f"{'':28}" + "".join(f"{run.label:>14}" for run in runs))
    for title, value in rows:
        print(f"{title:28}" + "".join(f"{value(run)!s:>14}" for run in runs))
    concurrent, sequential = runs
    print(f"wall time concurrent / sequential: {concurrent.wall / sequential.wall:.2f} "
          f"({sequential.wall / concurrent.wall:.1f}x faster at once)")


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.learners < args.seats:
        sys.exit("--learners must be at least --seats")
    sys.path.insert(0, str(PROJECT_ROOT))
    folder = Path(tempfile.mkdtemp(prefix="hemicycle-bench-"))
    database = gunicorn = app = None
    try:
        database = Database(args.database_url, folder, args.keep)
        env = app_environment(database.url, folder)
        print(f"database: {database.label}")
        started = time.perf_counter()
        migrate(env)
        os.environ["HEMICYCLE_INSTANCE_PATH"] = env["HEMICYCLE_INSTANCE_PATH"]
        from elearn import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": env["SECRET_KEY"]})
        emails, race_id, baseline_id = seed(app, args.learners, args.seats)
        print(f"prepared: migrations, {args.learners} learners, 2 activities of {args.seats} seats "
              f"({time.perf_counter() - started:.1f} s)")

        gunicorn = Gunicorn(env, args.workers, folder)
        gunicorn.wait_until_ready()
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{gunicorn.port}")
        started = time.perf_counter()
        browsers = [Browser(gunicorn.port) for _ in emails]
        with ThreadPoolExecutor(max_workers=2 * args.workers) as pool:
            list(pool.map(lambda pair: pair[0].sign_in(pair[1], f"/activities/{race_id}"), zip(browsers, emails, strict=False)))
        print(f"signed in: {len(browsers)} sessions ({time.perf_counter() - started:.1f} s)")

        print(f"concurrent run: {args.concurrency} registrations in flight at once")
        concurrent = concurrent_run(browsers, race_id, args.concurrency)
        sequential = sequential_run(browsers, baseline_id)
        read_back(app, race_id, concurrent)
        read_back(app, baseline_id, sequential)
        print()
        report([concurrent, sequential], args.learners, args.seats)
        problems = concurrent.problems(args.learners, args.seats) + sequential.problems(args.learners, args.seats)
        if problems:
            print("\nFAILED:\n  " + "\n  ".join(problems))
            print(f"\nlast lines of the gunicorn log:\n{gunicorn.log_tail()}")
            return 1
        print("\nOK: no overbooking, waitlist positions complete and unique")
        return 0
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        if app is not None:
            from elearn.extensions import db

            with app.app_context():
                db.engine.dispose()
        if database is not None:
            database.drop()
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
