"""Benchmark of the calendar feeds: render cost, revalidation cost, queries per request.

    .venv/bin/python bench/feeds.py                       # SQLite in a temporary file
    .venv/bin/python bench/feeds.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

With a PostgreSQL URL a scratch database is created on that server and dropped
at the end. Requests go through the Flask test client, in-process; figures are
medians of many runs, printed as ratios.

(a) GET /calendar.ics with a cold cache (rendered) and a warm one (served from
    the cache table), against building and serialising the same events with the
    same builder (elearn.scheduling.ical) from objects already in memory: no
    query, no cache, no request. Goal: served feed <= 1.3x.
(b) A 304 revalidation (If-None-Match) against a hello-world route of the same
    app. Goal: <= 1.5x.
(c) SQL statements per feed request at 500 and at 5,000 sessions: constant.
"""
from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
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
from elearn.feeds.cache import MARGIN, feed_site  # noqa: E402
from elearn.feeds.models import FeedCache  # noqa: E402
from elearn.feeds.queries import PAST_DAYS  # noqa: E402
from elearn.feeds.views import feed_info, feed_texts  # noqa: E402
from elearn.scheduling.ical import Entry, build_calendar  # noqa: E402
from elearn.scheduling.models import (  # noqa: E402
    Activity,
    ActivitySession,
    ActivityStatus,
    Audience,
    Modality,
)

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
        first_day = (now + timedelta(days=rng.randint(-85, 365))).date()
        status = ActivityStatus.CANCELLED if rng.random() < 0.05 else ActivityStatus.PUBLISHED
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
    info = feed_info(texts.calendar, texts.calendar_about % {"days": PAST_DAYS}, "en")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="SQLAlchemy URL (PostgreSQL: a scratch database is made on it)")
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--small", type=int, default=500, help="session count for the first query count")
    parser.add_argument("--renders", type=int, default=7, help="runs of each full render")
    parser.add_argument("--requests", type=int, default=2000, help="runs of each small request")
    options = parser.parse_args()

    url, clean_up = scratch_database(options.database_url)
    os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", tempfile.mkdtemp(prefix="hemicycle-bench-instance-"))
    app = create_app({"SECRET_KEY": secrets.token_urlsafe(32), "SQLALCHEMY_DATABASE_URI": url,
                      "SITE_URL": "https://hemicycle.example.org", "SESSION_COOKIE_SECURE": True})

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
    client = app.test_client()
    rng = random.Random(20270110)
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

            # (a) full renders
            def cold_request():
                clear_cache()
                response = client.get("/calendar.ics")
                assert response.status_code == 200

            cold = median_seconds(cold_request, options.renders)
            body = client.get("/calendar.ics").data
            events = body.count(b"BEGIN:VEVENT")
            warm = median_seconds(lambda: client.get("/calendar.ics"), max(options.renders * 5, 30))
            since = datetime.combine((datetime.now(UTC) - timedelta(days=90)).date(), datetime.min.time(), UTC)
            loaded = db.session.scalars(
                select(ActivitySession).join(ActivitySession.activity).options(contains_eager(ActivitySession.activity))
                .where(Activity.status != ActivityStatus.DRAFT, ActivitySession.ends_at >= since)
                .order_by(ActivitySession.starts_at, ActivitySession.id)).all()
            assert len(loaded) == events, (len(loaded), events)
            # The same bytes as served: the yardstick does the same work, minus the database and the cache.
            assert in_memory(loaded) == body
            built = median_seconds(lambda: in_memory(loaded), options.renders)

            # (b) revalidation against hello world, interleaved so that both see the same machine
            etag = client.get("/calendar.ics").headers["ETag"]
            assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
            hello_times, select_times, revalidation_times = [], [], []
            for _ in range(options.requests):
                for times, url, headers in ((hello_times, "/bench/hello", {}),
                                            (select_times, "/bench/select-one", {}),
                                            (revalidation_times, "/calendar.ics", {"If-None-Match": etag})):
                    started = time.perf_counter()
                    client.get(url, headers=headers)
                    times.append(time.perf_counter() - started)
            hello_median, revalidation_median = statistics.median(hello_times), statistics.median(revalidation_times)
            select_median = statistics.median(select_times)
            backend = db.engine.dialect.name
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        clean_up()

    print(f"Hemicycle feed benchmark: {backend}, {total} sessions, {events} events in /calendar.ics "
          f"({len(body) / 1e6:.1f} MB), cache margin {MARGIN}")
    print("(a) /calendar.ics against building and serialising the same events from memory")
    print(f"    built in memory         {built * 1000:9.1f} ms   1.00x")
    print(f"    served, warm cache      {warm * 1000:9.1f} ms   {warm / built:.3f}x   (goal <= 1.3x)")
    print(f"    served, cold cache      {cold * 1000:9.1f} ms   {cold / built:.2f}x   (render, once per change)")
    print("(b) 304 revalidation against a hello-world route of the same app")
    print(f"    hello world             {hello_median * 1e6:9.0f} us   1.00x")
    print(f"    hello world + SELECT 1  {select_median * 1e6:9.0f} us   {select_median / hello_median:.2f}x"
          "   (the floor for anything that asks the database)")
    print(f"    304 (If-None-Match)     {revalidation_median * 1e6:9.0f} us   {revalidation_median / hello_median:.2f}x"
          "   (goal <= 1.5x)")
    print("(c) SQL statements per /calendar.ics request")
    print(f"    {options.small:>5} sessions: cold {small['cold']}, warm {small['warm']}, 304 {small['304']}")
    print(f"    {total:>5} sessions: cold {large['cold']}, warm {large['warm']}, 304 {large['304']}")
    print("    constant" if small == large else "    NOT constant")


if __name__ == "__main__":
    main()
