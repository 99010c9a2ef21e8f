#!/usr/bin/env python3
"""Faults and recovery: the SMTP server down, PostgreSQL restarted, SQLite locked, under gunicorn.

    .venv/bin/python bench/faults.py smtp       # no SMTP server while ~120 requests queue mail, then one
    .venv/bin/python bench/faults.py postgres   # PostgreSQL restarted under load (pg_ctlcluster, needs root)
    .venv/bin/python bench/faults.py sqlite     # the SQLite write lock held by another process at times
    .venv/bin/python bench/faults.py all

Each scenario starts gunicorn (4 sync workers) on a fresh database: a SQLite
file in a temporary folder, or for `postgres` a database
`hemicycle_bench_<random>` made on the server of --pg-url and dropped at the
end. Everything talks to 127.0.0.1 only. Prints the figures; exits non-zero
if any request got a 500 (or the mail was lost or sent twice).

smtp      ~120 password-reset requests (each queues one message) with MAIL_SERVER
          pointing at a port nothing listens on: HTTP status counts and latency;
          `flask mail send` then finds the server down (messages stay pending);
          then aiosmtpd starts on that port and `flask mail send` runs until the
          outbox is empty: delivered, duplicates, time.
postgres  8 client threads for 30 s (a signed-in page read, then a reset request
          that writes), `pg_ctlcluster <version> main restart` after 10 s:
          200/302/503/500 counts, time to recover, gunicorn's processes unchanged.
sqlite    SQLITE_BUSY_TIMEOUT_MS=1000; 8 client threads send reset requests
          while a connection in this process holds the write lock for 3 s or
          0.5 s at a time: saved/503/500 per interval, and the rows saved
          match the successful requests exactly (nothing half-saved).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registration_race import (  # noqa: E402
    PROJECT_ROOT,
    Browser,
    Database,
    Gunicorn,
    app_environment,
    free_port,
    migrate,
)

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
OK_STATUSES = range(200, 400)
RETRY_SECONDS = 20  # MAIL_RETRY_BASE_SECONDS in the smtp scenario: the first retry comes after this


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=("smtp", "postgres", "sqlite", "all"))
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
                        help="PostgreSQL server for `postgres` (a fresh database is made there)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="client threads (postgres, sqlite)")
    parser.add_argument("--requests", type=int, default=120, help="requests that queue mail (smtp)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (postgres)")
    parser.add_argument("--restart-after", type=float, default=10.0, help="seconds before the restart (postgres)")
    return parser.parse_args(argv)


# Shared -------------------------------------------------------------------------

@dataclass
class Shot:
    began: float
    ended: float
    status: int | str  # HTTP status, or the name of a connection error

    @property
    def ok(self) -> bool:
        return isinstance(self.status, int) and self.status in OK_STATUSES


def timed(call) -> Shot:
    began = time.monotonic()
    try:
        status = call()
    except OSError as error:
        status = type(error).__name__
    return Shot(began, time.monotonic(), status)


def status_line(shots: list[Shot]) -> str:
    counts = Counter(shot.status for shot in shots)
    return ", ".join(f"{status}: {n}" for status, n in sorted(counts.items(), key=lambda item: str(item[0])))


def fives(shots: list[Shot]) -> int:
    return sum(1 for shot in shots if shot.status == 500)


class Site:
    """A fresh database with `people` learners and one published activity, served by gunicorn."""

    def __init__(self, database_url: str, people: int, workers: int, **settings: str):
        self.folder = Path(tempfile.mkdtemp(prefix="hemicycle-faults-"))
        self.database = Database(database_url, self.folder, keep=False)
        self.env = {**app_environment(self.database.url, self.folder), **settings}
        self.gunicorn = None
        self.app = None
        migrate(self.env)
        os.environ["HEMICYCLE_INSTANCE_PATH"] = self.env["HEMICYCLE_INSTANCE_PATH"]
        from elearn import create_app

        self.app = create_app({"SQLALCHEMY_DATABASE_URI": self.database.url, "SECRET_KEY": self.env["SECRET_KEY"]})
        self.emails, self.activity_id = self._seed(people)
        self.gunicorn = Gunicorn(self.env, workers, self.folder)
        self.gunicorn.wait_until_ready()

    def _seed(self, people: int) -> tuple[list[str], int]:
        from registration_race import seed

        emails, activity_id, _second = seed(self.app, people, 20)
        return emails, activity_id

    def browser(self) -> Browser:
        return Browser(self.gunicorn.port)

    def scalar(self, statement):
        from elearn.extensions import db

        with self.app.app_context():
            value = db.session.scalar(statement)
            db.session.remove()
            return value

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=PROJECT_ROOT,
                              env=self.env, capture_output=True, text=True, timeout=600)

    def worker_pids(self) -> list[int]:
        done = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.gunicorn.process.pid)],
                              capture_output=True, text=True)
        return sorted(int(pid) for pid in done.stdout.split())

    def close(self) -> None:
        if self.gunicorn is not None:
            self.gunicorn.stop()
        if self.app is not None:
            from elearn.extensions import db

            with self.app.app_context():
                db.engine.dispose()
        if self.database.admin_engine is not None:
            self.database.admin_engine.dispose()  # its pooled connection may be one a restart killed
        self.database.drop()
        shutil.rmtree(self.folder, ignore_errors=True)


def reset_request(browser: Browser, email: str) -> int:
    """POST the forgotten-password form: one reset token and one queued message, in one transaction."""
    status, _ = browser.request("POST", "/account/forgot", {"email": email, "csrf_token": browser.csrf})
    return status


def anonymous(site: Site) -> Browser:
    browser = site.browser()
    browser.csrf = browser.token_from("/account/forgot")
    return browser


def outbox_count(site: Site) -> int:
    from sqlalchemy import func, select

    from elearn.mail.models import OutboxMessage

    return site.scalar(select(func.count(OutboxMessage.id)))


# smtp ---------------------------------------------------------------------------

class CountingHandler:
    def __init__(self):
        self.recipients: list[str] = []
        self.times: list[float] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.extend(envelope.rcpt_tos)
        self.times.append(time.monotonic())
        return "250 OK"


def scenario_smtp(args) -> int:
    from aiosmtpd.controller import Controller
    from sqlalchemy import func, select

    from elearn.mail.models import OutboxMessage, OutboxStatus

    print(f"== smtp: {args.requests} requests that queue mail, no SMTP server listening ==")
    smtp_port = free_port()  # nothing listens there until we start aiosmtpd
    site = Site("", args.requests, args.workers, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp_port),
                MAIL_RETRY_BASE_SECONDS=str(RETRY_SECONDS))
    failed = 0
    try:
        browsers = [anonymous(site) for _ in range(args.requests)]  # each its own session and CSRF token
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            shots = list(pool.map(lambda n: timed(lambda: reset_request(browsers[n], site.emails[n])),
                                  range(args.requests)))
        latencies = sorted(shot.ended - shot.began for shot in shots)
        queued = outbox_count(site)
        print(f"HTTP answers: {status_line(shots)}; median {statistics.median(latencies) * 1000:.0f} ms, "
              f"slowest {latencies[-1] * 1000:.0f} ms; outbox: {queued} messages queued")
        failed += fives(shots) + sum(1 for shot in shots if not shot.ok)

        lines = []  # `flask mail send` takes 100 at a time: run it until it has tried every message once
        first_try = time.monotonic()
        while len(lines) < 5:
            lines.append(site.flask("mail", "send").stdout.strip().splitlines()[-1])
            if lines[-1] == "sent 0, to retry 0, failed 0":
                break
        tried = site.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == OutboxStatus.PENDING,
                                                                       OutboxMessage.attempts == 1))
        print(f"`flask mail send` with the server down: {'; '.join(repr(line) for line in lines)}; "
              f"{tried} of {queued} pending after 1 failed attempt, none lost")
        failed += tried != queued

        handler = CountingHandler()
        controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        try:
            # The retry delay after a first failure (MAIL_RETRY_BASE_SECONDS).
            time.sleep(max(0.0, first_try + RETRY_SECONDS + 1 - time.monotonic()))
            started, runs = time.monotonic(), []
            while len(runs) < 20:
                before = len(handler.times)
                line = site.flask("mail", "send").stdout.strip().splitlines()[-1]
                batch = handler.times[before:]
                runs.append((line, (batch[-1] - batch[0]) if batch else 0.0))
                if line.startswith("sent 0,"):
                    break
            elapsed = time.monotonic() - started
            time.sleep(0.2)
        finally:
            controller.stop()
        delivered = Counter(handler.recipients)
        duplicates = sum(n - 1 for n in delivered.values() if n > 1)
        sent = site.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == OutboxStatus.SENT))
        print(f"aiosmtpd up: {len(handler.recipients)} delivered ({len(delivered)} distinct addresses, "
              f"{duplicates} duplicates) in {elapsed:.2f} s over {len(runs)} `flask mail send` runs "
              f"({'; '.join(f'{line!r}: first to last message {span:.2f} s' for line, span in runs)}; "
              f"the rest of the time is starting the command); "
              f"outbox: {sent} sent of {queued}")
        if len(delivered) != queued or duplicates or sent != queued:
            print("FAILED: mail lost or sent twice")
            failed += 1
    finally:
        site.close()
    return failed


# postgres -----------------------------------------------------------------------

def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".") if p.isdigit()])
    return versions[-1]


def pg_ctlcluster(action: str) -> subprocess.CompletedProcess:
    # pg_ctl waits up to 300 s: a shutdown checkpoint on a slow disk can take more than its default 60 s.
    return subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", action,
                           "--", "-t", "300"], capture_output=True, text=True, timeout=330)


def pg_answers(url: str) -> bool:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001  (any failure means "not answering")
        return False
    finally:
        engine.dispose()


def make_sure_postgresql_runs(url: str) -> None:
    """Whatever happened, leave the server running: other work on this machine uses it."""
    for _ in range(60):
        if pg_answers(url):
            return
        status = subprocess.run(["pg_ctlcluster", pg_version(), "main", "status"], capture_output=True, text=True)
        if status.returncode == 3:  # stopped
            pg_ctlcluster("start")
        time.sleep(2)
    print("WARNING: PostgreSQL does not answer; start it with "
          f"`pg_ctlcluster --skip-systemctl-redirect {pg_version()} main start`")


def checkpoint(url: str) -> float:
    """A checkpoint first, so that the restart's shutdown checkpoint has little left to write."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    began = time.monotonic()
    with engine.connect() as connection:
        connection.execute(text("CHECKPOINT"))
    engine.dispose()
    return time.monotonic() - began


def scenario_postgres(args) -> int:
    print(f"== postgres: {args.threads} threads for {args.duration:.0f} s, PostgreSQL {pg_version()} "
          f"restarted after {args.restart_after:.0f} s ==")
    site = None
    failed = 0
    try:
        site = Site(args.pg_url, args.threads, args.workers)
        print(f"database: {site.database.label}; gunicorn {args.workers} workers on 127.0.0.1:{site.gunicorn.port}")
        browsers = []
        for email in site.emails[:args.threads]:
            browser = site.browser()
            browser.sign_in(email, f"/activities/{site.activity_id}")
            browsers.append(browser)
        arbiter, workers_before = site.gunicorn.process.pid, site.worker_pids()
        shots: list[Shot] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.duration

        def load(n: int) -> None:
            browser, email = browsers[n], site.emails[n]
            while time.monotonic() < stop_at:
                for shot in (timed(lambda: browser.request("GET", f"/activities/{site.activity_id}")[0]),
                             timed(lambda: reset_request(browser, email))):
                    with lock:
                        shots.append(shot)

        threads = [threading.Thread(target=load, args=(n,)) for n in range(args.threads)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        checkpoint_seconds = checkpoint(args.pg_url)
        time.sleep(max(0.0, args.restart_after - checkpoint_seconds))
        restart_began = time.monotonic()
        restarted = pg_ctlcluster("restart")
        restart_ended = time.monotonic()
        for thread in threads:
            thread.join()
        if restarted.returncode != 0:
            print(f"pg_ctlcluster restart failed: {restarted.stderr.strip()}")
            make_sure_postgresql_runs(args.pg_url)
            return 1

        shots.sort(key=lambda shot: shot.ended)
        after = [shot for shot in shots if shot.ended >= restart_began]
        bad = [shot for shot in after if not shot.ok]
        recovered = next((shot.ended for shot in after if shot.ok and (not bad or shot.began > bad[-1].ended)),
                         None)
        counts = Counter(shot.status for shot in shots)
        print(f"requests: {len(shots)} in {time.monotonic() - began:.1f} s; HTTP answers: {status_line(shots)}")
        print(f"CHECKPOINT before the restart: {checkpoint_seconds:.2f} s; "
              f"restart command: {restart_ended - restart_began:.2f} s (at t={restart_began - began:.1f} s); "
              f"failed requests around it: {len(bad)} "
              f"(first at +{(bad[0].began - restart_began) if bad else 0:.2f} s, "
              f"last ended +{(bad[-1].ended - restart_began) if bad else 0:.2f} s)")
        if recovered is not None:
            print(f"time to recover (restart begun -> first success after the last failure): "
                  f"{recovered - restart_began:.2f} s")
        else:
            print("never recovered")
            failed += 1
        same = site.gunicorn.process.poll() is None and site.worker_pids() == workers_before
        print(f"same gunicorn arbiter {arbiter} and workers {workers_before}: {'yes' if same else 'NO'}")
        failed += counts.get(500, 0) + (0 if same else 1)
    finally:
        make_sure_postgresql_runs(args.pg_url)
        if site is not None:
            site.close()
    return failed


# sqlite -------------------------------------------------------------------------

# (lock held?, seconds): a writer in another process holds the lock longer, then shorter, than the busy timeout.
LOCK_PLAN = ((False, 2), (True, 3), (False, 2), (True, 0.5), (False, 2), (True, 3), (False, 2), (True, 0.5),
             (False, 2))


def scenario_sqlite(args) -> int:
    from sqlalchemy.engine import make_url

    print("== sqlite: SQLITE_BUSY_TIMEOUT_MS=1000, the write lock held from another process at times ==")
    site = Site("", args.threads, args.workers, SQLITE_BUSY_TIMEOUT_MS="1000")
    failed = 0
    try:
        path = make_url(site.database.url).database
        browsers = [anonymous(site) for _ in range(args.threads)]
        before = outbox_count(site)
        shots: list[Shot] = []
        intervals: list[tuple[float, float, bool]] = []
        lock = threading.Lock()
        done = threading.Event()

        def load(n: int) -> None:
            while not done.is_set():
                shot = timed(lambda: reset_request(browsers[n], site.emails[n]))
                with lock:
                    shots.append(shot)

        threads = [threading.Thread(target=load, args=(n,)) for n in range(args.threads)]
        for thread in threads:
            thread.start()
        locker = sqlite3.connect(path, isolation_level=None, timeout=30)
        for held, seconds in LOCK_PLAN:
            start = time.monotonic()
            if held:
                locker.execute("BEGIN IMMEDIATE")
                locker.execute("UPDATE person SET full_name = full_name WHERE id = -1")
            time.sleep(seconds)
            if held:
                locker.rollback()
            intervals.append((start, time.monotonic(), held))
        done.set()
        for thread in threads:
            thread.join()
        locker.close()

        saved_rows = outbox_count(site) - before
        print(f"{'interval':>26} {'requests':>9} {'saved':>6} {'503':>5} {'500':>5} {'slowest':>8}")
        for start, end, held in intervals:
            inside = [shot for shot in shots if start <= shot.began < end]
            label = f"{'lock held' if held else 'free'} {end - start:.1f} s"
            slowest = max((shot.ended - shot.began for shot in inside), default=0)
            print(f"{label:>26} {len(inside):>9} {sum(1 for s in inside if s.ok):>6} "
                  f"{sum(1 for s in inside if s.status == 503):>5} {fives(inside):>5} {slowest:>7.2f}s")
        saved = sum(1 for shot in shots if shot.ok)
        print(f"all: {len(shots)} requests; HTTP answers: {status_line(shots)}; "
              f"{saved_rows} messages saved for {saved} successful requests "
              f"({'none half-saved' if saved_rows == saved else 'MISMATCH'})")
        failed += fives(shots) + (saved_rows != saved)
        failed += sum(1 for shot in shots if shot.status not in (302, 503))
    finally:
        site.close()
    return failed


def main(argv=None) -> int:
    args = parse_args(argv)
    scenarios = {"smtp": scenario_smtp, "postgres": scenario_postgres, "sqlite": scenario_sqlite}
    chosen = list(scenarios) if args.scenario == "all" else [args.scenario]
    failures = 0
    for name in chosen:
        failures += scenarios[name](args)
        print()
    if failures:
        print(f"FAILED: {failures} problem(s) (500s, lost or duplicate mail, or unexpected answers)")
        return 1
    print("OK: no 500, no mail lost or sent twice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
