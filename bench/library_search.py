"""Library search over 50,000 resources: the full-text index against a LIKE scan, on SQLite or PostgreSQL.

    .venv/bin/python bench/library_search.py [--resources 50000] [--runs 5]
                                             [--database-url postgresql+psycopg://postgres@127.0.0.1/test]

Without --database-url it uses a temporary SQLite file; with a PostgreSQL URL it creates a database of its
own on that server and drops it at the end. It writes the resources in bulk (titles, summaries and bodies
of words drawn from a vocabulary, a few rare words, every access), builds the index with `rebuild`, then,
as a signed-in learner of one parliament, times the page's two statements (the count and the first 20
rows) for each query: through `search` (the index) and through the baseline, the same filters with every
word as `LIKE '%word%'` over title, summary, body and keywords. Median of --runs runs; ratio = baseline /
index. Both must find the same number of resources (the baseline is a substring match, the index a
word-prefix match: the vocabulary is chosen so that they agree).
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, or_, select  # noqa: E402

from bench._common import scratch_database  # noqa: E402
from elearn import create_app  # noqa: E402
from elearn.database import escape_like  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.library.models import LibraryResource, ResourceKind  # noqa: E402
from elearn.library.search import Filters, rebuild, search, visible_to, words  # noqa: E402
from elearn.people.models import Parliament, Person, PersonKind  # noqa: E402

# Parliamentary words among 5,000 made-up ones of seven letters, drawn with Zipf's law (the n-th most frequent
# word n times rarer than the first), so that a query word is as selective as in a real library. None is a
# substring of another, so that LIKE and the index find the same rows.
WORDS = ("parliament committee budget oversight petition hearing amendment plenary clerk quorum "
              "minutes agenda ombudsman treaty gender climate audit ethics lobbying procedure motion "
              "interpellation rapporteur secretariat library archive broadcast translation session "
              "delegation protocol statute decree tribunal census").split()
RARE = ("zygomorphic", "quillwort", "xerophyte")
_letters = random.Random(5)
VOCABULARY = [WORDS[n // 150] if n % 150 == 0 and n // 150 < len(WORDS) else
              "".join(_letters.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)) for n in range(5000)]
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
QUERIES = ("parliament", "budget", "oversight petition", "interp", "quillwort", "committee parliament")


def sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choices(VOCABULARY, WEIGHTS, k=length))


def seed(count: int, rng: random.Random) -> tuple[Person, float]:
    parliaments = [Parliament(name_en=f"Bench parliament {n}", name_fr=f"Parlement {n}", country_code="FR",
                              chamber_name=f"Assembly {n}") for n in range(10)]
    db.session.add_all(parliaments)
    db.session.flush()
    reader = Person(email="reader@bench.example", full_name="Reader", kind=PersonKind.STAFF,
                    parliament_id=parliaments[0].id)
    db.session.add(reader)
    db.session.commit()
    accesses = (["public"] * 3 + ["network"] * 5 + ["parliament"] * 2)
    rows = []
    for n in range(count):
        access = rng.choice(accesses)
        body = sentence(rng, rng.randint(40, 200))
        if n % 997 == 0:
            body += " " + rng.choice(RARE)
        rows.append({"title": sentence(rng, rng.randint(3, 8)).capitalize(), "summary": sentence(rng, 25),
                     "body": body, "keywords": rng.sample(VOCABULARY, 3),
                     "kind": rng.choice(list(ResourceKind)).value, "language": rng.choice(("en", "fr", "es")),
                     "access": access, "parliament_id": rng.choice(parliaments).id if access == "parliament" else None,
                     "downloads": 0, "external_url": "", "original_name": "", "content_type": "", "size": 0,
                     "sha256": ""})
    for start in range(0, count, 5000):
        db.session.execute(insert(LibraryResource), rows[start:start + 5000])
    db.session.commit()
    began = time.perf_counter()
    rebuild(db.session.connection())
    db.session.commit()
    elapsed = time.perf_counter() - began
    if db.engine.dialect.name == "postgresql":
        # The statistics autovacuum would gather after such a load: without them the planner guesses wrong.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    return reader, elapsed


def baseline(person, query: str):
    statement = select(LibraryResource).where(visible_to(person))
    columns = (LibraryResource.title, LibraryResource.summary, LibraryResource.body,
               func.cast(LibraryResource.keywords, db.String))
    for word in words(query):
        pattern = f"%{escape_like(word)}%"
        statement = statement.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in columns)))
    return statement.order_by(LibraryResource.created_at.desc(), LibraryResource.id.desc())


def page_of(statement) -> tuple[int, list[int]]:
    """What the list page runs: the count, then the first 20 rows."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    first = [r.id for r in db.session.scalars(statement.limit(20))]
    db.session.expunge_all()
    return total, first


def timed(make, runs: int) -> tuple[float, int]:
    times, total = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        total, _first = page_of(make())
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    options = parser.parse_args()
    with scratch_database(options.database_url) as url:
        os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", tempfile.mkdtemp(prefix="hemicycle-bench-"))
        app = create_app({"TESTING": True, "SECRET_KEY": uuid.uuid4().hex * 2, "SQLALCHEMY_DATABASE_URI": url,
                          "SITE_URL": "https://hemicycle.test"})
        with app.app_context():
            db.create_all()
            began = time.perf_counter()
            reader, indexing = seed(options.resources, random.Random(20))
            reader = db.session.merge(reader)
            print(f"{db.engine.dialect.name}; {options.resources:,} resources seeded in "
                  f"{time.perf_counter() - began:.1f} s (index rebuilt in {indexing:.1f} s); "
                  f"median of {options.runs} runs of the count and the first 20 rows, as a learner")
            print(f"{'query':24} {'found':>7} {'index ms':>9} {'LIKE ms':>9} {'ratio':>7}")
            for query in QUERIES:
                index_ms, found = timed(lambda q=query: search(reader, Filters(words=q)), options.runs)
                like_ms, like_found = timed(lambda q=query: baseline(reader, q), options.runs)
                assert found == like_found, f"{query!r}: the index found {found}, LIKE {like_found}"
                print(f"{query:24} {found:7,} {index_ms:9.1f} {like_ms:9.1f} {like_ms / index_ms:7.1f}")
            filtered_ms, found = timed(lambda: search(reader, Filters(words="budget", language="fr",
                                                                      kind=ResourceKind.GUIDE)), options.runs)
            print(f"{'budget + fr + guide':24} {found:7,} {filtered_ms:9.1f}")
            db.engine.dispose()


if __name__ == "__main__":
    main()

