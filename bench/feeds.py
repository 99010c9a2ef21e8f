"""Benchmark of the calendar feeds: render cost, the public feed's window, revalidation cost, queries per request.

    .venv/bin/python bench/feeds.py                       # SQLite in a temporary file
    .venv/bin/python bench/feeds.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

With a PostgreSQL URL a scratch database is created on that server and dropped
at the end. Sessions are spread from 400 days ago to 800 days ahead, changed two
hours before the run (a quiet day); a few activities are drafts.

(a) GET /calendar.ics with a cold cache (rendered) and a warm one (served from
    the cache table), in-process, against building and serialising the same
    events with the same builder (elearn.scheduling.ical) from objects already in
    memory. Goal: served feed <= 1.3x. Also the public feed's window (FEED_PAST_DAYS,
    FEED_FUTURE_DAYS): sessions held out of all, its size and render time.
(b) Under gunicorn (2 sync workers, loopback, a new connection per request, as a
    calendar app makes): a 304 revalidation (If-None-Match) against a hello-world
    route of the same app, medians of interleaved rounds; first on a quiet day, then
    in the minutes after unrelated changes (a draft edited and a published briefing
    edited every 200 rounds, outside the seminar feed). Goal: <= 1.5x in both.
(c) SQL statements per feed request at 500 and at 5,000 sessions: constant.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, delete, event, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import contains_eager  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.access import public  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.feeds.cache import feed_site  # noqa: E402
from elearn.feeds.models import FeedCache  # noqa: E402
from elearn.feeds.queries import Selection  # noqa: E402
from elearn.feeds.views import feed_info, feed_texts, public_window  # noqa: E402
from elearn.scheduling.ical import Entry, build_calendar  # noqa: E402
from elearn.scheduling.models import (  # noqa: E402
    Activity,
    ActivitySession,
    ActivityStatus,
    Audience,
    Modality,
)

ROOT = Path(__file__).resolve().parent.parent
# Renders are counted per client (FEED_RENDER_LIMIT_PER_IP): the bench renders on purpose.
SETTINGS = {"SITE_URL": "https://hemicycle.example.org", "SESSION_COOKIE_SECURE": True,
            "FEED_RENDER_LIMIT_PER_IP": "1000000 per minute"}

UTC = timezone.utc
ZONES = ["Europe/Paris", "America/Santiago", "Africa/Banjul", "Asia/Thimphu", "Indian/Maldives", "America/Panama",
         "Africa/Niamey", "America/Lima", "Europe/Podgorica", "America/La_Paz", "Africa/Blantyre", "UTC"]
WORDS = ("séminaire régional budget contrôle commission procédure législative archives protocole sécurité "
         "informatique accueil nouveaux députés مجلس النواب committee oversight hearing minutes").split()


def median_seconds(action, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def seed(count: int, rng: random.Random, first_id: int) -> int:
    """Insert activities until `count` more sessions exist; returns the next activity id."""
    now = datetime.now(UTC)
    changed = now - timedelta(hours=2)  # older than the cache's margin, as on a quiet day
    activities, sessions = [], []
    activity_id = first_id
    while len(sessions) < count:
        zone = rng.choice(ZONES)
        all_day = rng.random() < 0.1
        first_day = (now + timedelta(days=rng.randint(-400, 800))).date()
        draw = rng.random()
        status = (ActivityStatus.CANCELLED if draw < 0.05 else ActivityStatus.DRAFT if draw < 0.08
                  else ActivityStatus.PUBLISHED)
        online = rng.random() < 0.2
        spans = []
        for offset in range(rng.randint(1, 4)):
            day = first_day + timedelta(days=offset)
            if all_day:
                start = datetime.combine(day, datetime.min.time(), ZoneInfo(zone))
                end = start + timedelta(days=1)
            else:
                start = datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo(zone))
                end = start + timedelta(hours=7, minutes=30)
            spans.append((start.astimezone(UTC), end.astimezone(UTC)))
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        activities.append(dict(
            id=activity_id, title=title, modality=rng.choice(list(Modality)), audience=rng.choice(list(Audience)),
            description_md=" ".join(rng.choice(WORDS) for _ in range(40)) + ".\n\n- Cas pratiques; échanges, \\ notes",
            description_html="", languages=["en", "fr"], timezone=zone, status=status, capacity=20,
            venue_name="" if online else "Parliament building, room " + str(rng.randint(1, 30)),
            venue_address="", venue_city="" if online else rng.choice(["Banjul", "Paris", "Malé", "Lima"]),
            venue_country="", online_url="https://meet.example.org/" + secrets.token_hex(4) if online else "",
            starts_at=spans[0][0], ends_at=spans[-1][1], seat_lock=0, approval_required=False,
            created_at=changed, updated_at=changed))
        for start, end in spans:
            sessions.append(dict(activity_id=activity_id, starts_at=start, ends_at=end, all_day=all_day, title="",
                                 sequence=1, updated_at=changed))
        activity_id += 1
    db.session.execute(insert(Activity), activities)
    db.session.execute(insert(ActivitySession), sessions)
    db.session.commit()
    return activity_id


def in_memory(sessions: list[ActivitySession]) -> bytes:
    """The public feed built from sessions already loaded: the yardstick for (a). Call in an app context."""
    texts = feed_texts("en")
    info = feed_info(texts.calendar, public_window().about(texts, "calendar"), "en")
    return build_calendar([Entry(session) for session in sessions], info)


class QueryCounter:
    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1

    def during(self, action) -> int:
        before = self.count
        action()
        return self.count - before


def scratch_database(url: str | None):
    """(database URL, clean-up function)."""
    if not url:
        folder = tempfile.mkdtemp(prefix="hemicycle-bench-")
        return f"sqlite:///{folder}/bench.db", lambda: None
    server = make_url(url)
    if server.get_backend_name() != "postgresql":
        return url, lambda: None
    name = f"hemicycle_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop



def bench_app(url: str, secret: str):
    """The app with two reference routes: hello world, and hello world after a SELECT 1."""
    app = create_app({"SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": url, **SETTINGS})

    @public
    def hello():
        return "Hello, world!"

    @public
    def select_one():
        with feed_site().engine.connect() as connection:
            connection.execute(text("SELECT 1")).one()
        return "Hello, world!"

    app.add_url_rule("/bench/hello", "bench_hello", hello)
    # The floor of any answer that asks the database something, for reference.
    app.add_url_rule("/bench/select-one", "bench_select_one", select_one)
    return app


def served_app():
    """For gunicorn: `feeds:served_app()`, configured by the environment the bench sets."""
    return bench_app(os.environ["HEMICYCLE_BENCH_DATABASE_URL"], os.environ["SECRET_KEY"])


class Gunicorn:
    """gunicorn serving the bench app on a free loopback port."""

    def __init__(self, url: str, secret: str, workers: int = 2, freshness: float = 0.0):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, "HEMICYCLE_BENCH_DATABASE_URL": url, "SECRET_KEY": secret,
               "FEED_FRESHNESS_SECONDS": str(freshness)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--pythonpath", f"{ROOT / 'bench'},{ROOT}", "--log-level", "warning", "feeds:served_app()"],
            env=env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/bench/hello")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str, headers: dict | None = None) -> tuple[int, float, dict]:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            return response.status, time.perf_counter() - started, dict(response.getheaders())
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def interleaved(server: Gunicorn, routes: dict[str, tuple[str, dict, int]], rounds: int, between=None) -> dict:
    """Median seconds per route over `rounds` rounds, each route once per round; `between(round)` runs first."""
    times: dict[str, list[float]] = {name: [] for name in routes}
    for number in range(rounds):
        if between:
            between(number)
        for name, (path, headers, expected) in routes.items():
            status, seconds, _ = server.get(path, headers)
            assert status == expected, (name, status)
            times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="SQLAlchemy URL (PostgreSQL: a scratch database is made on it)")
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--small", type=int, default=500, help="session count for the first query count")
    parser.add_argument("--renders", type=int, default=7, help="runs of each full render")
    parser.add_argument("--rounds", type=int, default=1000, help="rounds of small requests under gunicorn")
    parser.add_argument("--freshness-seconds", type=float, default=0.0,
                        help="FEED_FRESHNESS_SECONDS of the gunicorn workers (0: every 304 asks the database)")
    options = parser.parse_args()

    url, clean_up = scratch_database(options.database_url)
    os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", tempfile.mkdtemp(prefix="hemicycle-bench-instance-"))
    secret = secrets.token_urlsafe(32)
    app = bench_app(url, secret)
    client = app.test_client()
    rng = random.Random(20270110)
    server = None
    try:
        with app.app_context():
            db.create_all()
            counter = QueryCounter(db.engine)

            def clear_cache():
                db.session.execute(delete(FeedCache))
                db.session.commit()

            def counts() -> dict[str, int]:
                clear_cache()
                cold = counter.during(lambda: client.get("/calendar.ics"))
                warm = counter.during(lambda: client.get("/calendar.ics"))
                etag = client.get("/calendar.ics").headers["ETag"]
                revalidate = counter.during(lambda: client.get("/calendar.ics", headers={"If-None-Match": etag}))
                return {"cold": cold, "warm": warm, "304": revalidate}

            next_id = seed(options.small, rng, 1)
            small = counts()
            seed(options.sessions - options.small, rng, next_id)
            total = db.session.scalar(select(func.count(ActivitySession.id)))
            large = counts()

            # (a) full renders, in-process
            def cold_request():
                clear_cache()
                response = client.get("/calendar.ics")
                assert response.status_code == 200

            cold = median_seconds(cold_request, options.renders)
            body = client.get("/calendar.ics").data
            events = body.count(b"BEGIN:VEVENT")
            warm = median_seconds(lambda: client.get("/calendar.ics"), max(options.renders * 5, 30))
            window = public_window()
            statement = (Selection(since=window.since, until=window.until).rows(ActivitySession)
                         .options(contains_eager(ActivitySession.activity)))
            loaded = db.session.execute(statement).scalars().all()
            assert len(loaded) == events, (len(loaded), events)
            # The same bytes as served: the yardstick does the same work, minus the database and the cache.
            assert in_memory(loaded) == body
            built = median_seconds(lambda: in_memory(loaded), options.renders)
            listed = db.session.scalar(select(func.count(ActivitySession.id)).join(ActivitySession.activity)
                                       .where(Activity.status != ActivityStatus.DRAFT))
            backend = db.engine.dialect.name
            draft_id = db.session.scalar(select(Activity.id).where(Activity.status == ActivityStatus.DRAFT).limit(1))
            briefing_id = db.session.scalar(select(Activity.id).where(Activity.status == ActivityStatus.PUBLISHED,
                                                                      Activity.modality == Modality.BRIEFING).limit(1))
            db.session.remove()

        # (b) revalidation under gunicorn
        server = Gunicorn(url, secret, freshness=options.freshness_seconds)
        seminar = "/calendar.ics?modality=seminar"
        etags = {path: server.get(path)[2]["ETag"] for path in ("/calendar.ics", seminar)}
        static = "/static/css/site.css"
        routes = {"hello world": ("/bench/hello", {}, 200), "static file": (static, {}, 200),
                  "hello world + SELECT 1": ("/bench/select-one", {}, 200),
                  "304 /calendar.ics": ("/calendar.ics", {"If-None-Match": etags["/calendar.ics"]}, 304),
                  "304 ?modality=seminar": (seminar, {"If-None-Match": etags[seminar]}, 304)}
        quiet = interleaved(server, routes, options.rounds)

        changes = []

        def change_elsewhere(number: int) -> None:
            if number % 200:
                return
            with app.app_context():
                stamp = datetime.now(UTC)
                for activity_id in (draft_id, briefing_id):  # a draft, and a published activity outside the feed
                    activity = db.session.get(Activity, activity_id)
                    activity.venue_name, activity.updated_at = f"Room {number}", stamp
                db.session.commit()
                db.session.remove()
            status, seconds, _ = server.get(seminar, {"If-None-Match": etags[seminar]})
            assert status == 304
            changes.append(seconds)

        # The whole calendar holds the briefing: it renders after each change, so it sits this part out.
        busy_routes = {name: route for name, route in routes.items() if name != "304 /calendar.ics"}
        busy = interleaved(server, busy_routes, options.rounds, between=change_elsewhere)

        with app.app_context():
            def served_cold():
                clear_cache()
                assert server.get("/calendar.ics")[0] == 200

            served_render = median_seconds(served_cold, options.renders)
    finally:
        if server is not None:
            server.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        clean_up()

    print(f"Hemicycle feed benchmark: {backend}, {total} sessions ({listed} not in drafts), {events} events in "
          f"/calendar.ics ({len(body) / 1e6:.2f} MB)")
    print(f"(a) /calendar.ics against building and serialising the same events from memory "
          f"(window: the last {window.past_days} days, the next {window.future_days})")
    print(f"    built in memory         {built * 1000:9.1f} ms   1.00x")
    print(f"    served, warm cache      {warm * 1000:9.1f} ms   {warm / built:.3f}x   (goal <= 1.3x)")
    print(f"    served, cold cache      {cold * 1000:9.1f} ms   {cold / built:.2f}x   (render, once per change)")
    print(f"    rendered under gunicorn {served_render * 1000:9.1f} ms")
    hello = quiet["hello world"]
    print(f"(b) under gunicorn (2 workers, loopback, new connection each), medians of {options.rounds} rounds, "
          f"FEED_FRESHNESS_SECONDS={options.freshness_seconds:g}")
    for name, seconds in quiet.items():
        goal = "   (goal <= 1.5x)" if name.startswith("304") else ""
        print(f"    {name:<30} {seconds * 1e6:7.0f} us   {seconds / hello:.2f}x{goal}")
    print(f"    in the minutes after unrelated changes (a draft and a briefing edited every 200 rounds, "
          f"{len(changes)} times)")
    busy_hello = busy["hello world"]
    for name, seconds in busy.items():
        goal = "   (goal <= 1.5x)" if name.startswith("304") else ""
        print(f"    {name:<30} {seconds * 1e6:7.0f} us   {seconds / busy_hello:.2f}x{goal}")
    print(f"    first 304 after each change    {statistics.median(changes) * 1e3:7.1f} ms   "
          "(one read of the feed's rows, then trusted again)")
    print("(c) SQL statements per /calendar.ics request")
    print(f"    {options.small:>5} sessions: cold {small['cold']}, warm {small['warm']}, 304 {small['304']}")
    print(f"    {total:>5} sessions: cold {large['cold']}, warm {large['warm']}, 304 {large['304']}")
    print("    constant" if small == large else "    NOT constant")


if __name__ == "__main__":
    main()
