"""Walking the API's public activities (10,000) page by page: constant statements and time per page (keyset).

    .venv/bin/python bench/api_activities.py [--activities 10000] [--limit 100] [--runs 9]
                                             [--database-url postgresql+psycopg://postgres@127.0.0.1/test]

Without --database-url (or BENCH_DATABASE_URL) it uses a temporary SQLite file; with a PostgreSQL URL it
creates a database of its own on that server and drops it at the end. It writes the published activities in
bulk (one session each, a programme, a host parliament and a topic each, so that every eager load runs on
every page), then, as an anonymous caller through the Flask test client, follows next_cursor of
GET /api/v1/activities/?limit=N to the end, counting the SQL statements of each page (before_cursor_execute)
and timing it. Every activity must be seen once, and every page must run the same number of statements.
The first and the last page are then timed again (median of --runs). For contrast, the page's main
statement is read directly with OFFSET/LIMIT, first page against last: OFFSET reads and throws away every
row before the page, so its last page costs more; the keyset (id > the last one seen) goes straight to it.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402

from bench._common import scratch_database  # noqa: E402
from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.people.models import Parliament  # noqa: E402
from elearn.scheduling import queries  # noqa: E402
from elearn.scheduling.models import (  # noqa: E402
    Activity,
    ActivitySession,
    ActivityStatus,
    Audience,
    Modality,
    Programme,
    ProgrammeKind,
    activity_topic,
)
from elearn.topics import Topic  # noqa: E402

BATCH = 2000


def seed(count: int, rng: random.Random) -> None:
    parliaments = [Parliament(name_en=f"Bench parliament {n}", name_fr=f"Parlement {n}", country_code="FR",
                              chamber_name=f"Assembly {n}") for n in range(10)]
    programmes = [Programme(slug=f"bench-{n}", title=f"Bench programme {n}", kind=ProgrammeKind.BILATERAL)
                  for n in range(5)]
    topics = [Topic(slug=f"bench-topic-{n}", name_en=f"Topic {n}", name_fr=f"Thème {n}") for n in range(8)]
    db.session.add_all([*parliaments, *programmes, *topics])
    db.session.commit()
    start = datetime(2027, 1, 4, 8, tzinfo=timezone.utc)
    modalities = list(Modality)
    for first in range(0, count, BATCH):
        rows, spans = [], []
        for n in range(first, min(first + BATCH, count)):
            begins = start + timedelta(hours=rng.randrange(0, 24 * 365))
            spans.append((begins, begins + timedelta(hours=3)))
            rows.append({"title": f"Bench activity {n}", "modality": rng.choice(modalities),
                         "languages": ["en", "fr"], "audience": Audience.BOTH, "timezone": "Europe/Paris",
                         "programme_id": rng.choice(programmes).id, "host_parliament_id": rng.choice(parliaments).id,
                         "venue_name": "Room A", "venue_city": "Geneva", "status": ActivityStatus.PUBLISHED,
                         "starts_at": spans[-1][0], "ends_at": spans[-1][1], "published_at": start})
        made = db.session.scalars(insert(Activity).returning(Activity.id, sort_by_parameter_order=True), rows).all()
        db.session.execute(insert(ActivitySession), [
            {"activity_id": activity_id, "starts_at": begins, "ends_at": ends}
            for activity_id, (begins, ends) in zip(made, spans, strict=True)])
        db.session.execute(insert(activity_topic), [
            {"activity_id": activity_id, "topic_id": rng.choice(topics).id} for activity_id in made])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *_args):
        self.count += 1


def get_page(client, limit: int, cursor: str | None, counter: StatementCounter) -> tuple[dict, int, float]:
    query = {"limit": limit, **({"cursor": cursor} if cursor else {})}
    counter.count = 0
    began = time.perf_counter()
    response = client.get("/api/v1/activities/", query_string=query)
    elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json(), counter.count, elapsed


def median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def listed_by_id():
    """The page's main statement without its eager loads: the part whose cost depends on where the page is."""
    return select(Activity).where(Activity.status.in_(queries.LISTED_STATUSES)).order_by(Activity.id)


def offset_page(offset: int, limit: int) -> None:
    rows = db.session.scalars(listed_by_id().offset(offset).limit(limit)).all()
    assert rows
    db.session.expunge_all()


def keyset_page(after_id: int, limit: int) -> None:
    rows = db.session.scalars(listed_by_id().where(Activity.id > after_id).limit(limit)).all()
    assert rows
    db.session.expunge_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    options = parser.parse_args()
    with scratch_database(options.database_url) as url:
        os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", tempfile.mkdtemp(prefix="hemicycle-bench-"))
        app = create_app({"TESTING": True, "SECRET_KEY": uuid.uuid4().hex * 2, "SQLALCHEMY_DATABASE_URI": url,
                          "SITE_URL": "https://hemicycle.test", "RATELIMIT_ENABLED": False})
        with app.app_context():
            db.create_all()
            began = time.perf_counter()
            seed(options.activities, random.Random(22))
            print(f"{db.engine.dialect.name}; {options.activities:,} published activities (one session each) "
                  f"seeded in {time.perf_counter() - began:.1f} s")
            expected = db.session.scalars(select(Activity.id).order_by(Activity.id)).all()
            engine = db.engine
        # Each request in its own app context, as in production: its session is removed at the end.
        counter = StatementCounter()
        event.listen(engine, "before_cursor_execute", counter)
        client = app.test_client()
        get_page(client, options.limit, None, counter)  # warm up: compile the statements once
        seen, statements, times, cursors, cursor = [], [], [], [], None
        while True:
            cursors.append(cursor)
            body, count, elapsed = get_page(client, options.limit, cursor, counter)
            seen += [item["id"] for item in body["items"]]
            statements.append(count)
            times.append(elapsed)
            cursor = body["next_cursor"]
            if cursor is None:
                break
        event.remove(engine, "before_cursor_execute", counter)
        assert seen == expected, "the walk did not see every activity once, in order"
        assert len(set(statements)) == 1, f"statements per page vary: {sorted(set(statements))}"
        first_ms = median_ms(lambda: get_page(client, options.limit, cursors[0], counter), options.runs)
        last_ms = median_ms(lambda: get_page(client, options.limit, cursors[-1], counter), options.runs)
        print(f"keyset through the API (GET /api/v1/activities/?limit={options.limit}):")
        print(f"  pages walked {len(statements)}, items seen {len(seen):,} (each once, in id order: "
              f"{seen == expected})")
        print(f"  statements per page min {min(statements)} max {max(statements)}")
        print(f"  walk: first page {times[0]:.1f} ms, last page {times[-1]:.1f} ms, median page "
              f"{statistics.median(times):.1f} ms, all pages {sum(times) / 1000:.2f} s")
        print(f"  median of {options.runs}: first page {first_ms:.1f} ms, last page {last_ms:.1f} ms, "
              f"ratio last/first {last_ms / first_ms:.2f}")
        with app.app_context():
            last_offset = (len(seen) - 1) // options.limit * options.limit
            offset_page(0, options.limit)  # warm up
            keyset_page(0, options.limit)
            offset_first = median_ms(lambda: offset_page(0, options.limit), options.runs)
            offset_last = median_ms(lambda: offset_page(last_offset, options.limit), options.runs)
            keyset_first = median_ms(lambda: keyset_page(0, options.limit), options.runs)
            keyset_last = median_ms(lambda: keyset_page(seen[last_offset - 1], options.limit), options.runs)
            print(f"the page's main statement read directly (no HTTP, no eager loads), median of {options.runs}:")
            print(f"  OFFSET/LIMIT: first page (OFFSET 0) {offset_first:.2f} ms, last page (OFFSET {last_offset:,}) "
                  f"{offset_last:.2f} ms, ratio last/first {offset_last / offset_first:.2f}")
            print(f"  keyset (id > last seen): first page {keyset_first:.2f} ms, last page {keyset_last:.2f} ms, "
                  f"ratio last/first {keyset_last / keyset_first:.2f}")
            db.engine.dispose()


if __name__ == "__main__":
    main()
