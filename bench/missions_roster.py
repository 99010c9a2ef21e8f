"""Expert roster search at scale: statements per page stay constant, and the batch loading against N+1.

    .venv/bin/python bench/missions_roster.py [--persons 10000] [--profiles 3000] [--pages 5] [--per-page 25]
                                              [--database-url postgresql+psycopg://postgres@127.0.0.1/test]

Without --database-url it uses a temporary SQLite file; with a PostgreSQL URL it creates a database of its own
on that server and drops it at the end. It seeds persons of twenty parliaments (eight of them assisting), gives
a share of the assisting parliaments' people a profile (one to four topics, one to three languages, up to three
availability periods over the next year) and past missions to a fifth of them, then runs a few searches page by
page: SQL statements and milliseconds per page, for the service (batch loading) and for a naive baseline that
reads the same page's relations lazily (one query per profile and relation), measured in the same run. The last
lines fetch the search page itself as a signed-in trainer.
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
from elearn.access import Role  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.missions import roster  # noqa: E402
from elearn.missions.models import (  # noqa: E402
    ExpertAvailability,
    ExpertLanguage,
    ExpertProfile,
    LanguageLevel,
    MissionTeamMember,
    TeamRole,
    expert_topic,
)
from elearn.missions.roster_search import ResultPagination, SearchFilters, ranked_statement, search  # noqa: E402
from elearn.people.models import Parliament, Person, PersonKind  # noqa: E402
from elearn.people.services import set_password  # noqa: E402
from elearn.scheduling.models import Activity, ActivityStatus, Modality, activity_topic  # noqa: E402
from elearn.topics import Topic, seed_topics  # noqa: E402

NOW = datetime.now(timezone.utc)
TODAY = NOW.date()
PASSWORD = "bench-password-0123"
# Skewed like a real roster: English and French common, the rest rarer.
LANGUAGE_WEIGHTS = {"en": 40, "fr": 30, "es": 10, "pt": 8, "ar": 8, "ru": 4}
LEVEL_WEIGHTS = {LanguageLevel.BASIC: 15, LanguageLevel.WORKING: 35, LanguageLevel.FLUENT: 35,
                 LanguageLevel.NATIVE: 15}


def seed(persons: int, profiles: int, rng: random.Random) -> None:
    seed_topics()
    db.session.execute(insert(Parliament), [
        dict(name_en=f"Parliament {n}", name_fr=f"Parlement {n}", country_code=["FR", "BE", "CA", "CH", "GM", "SN",
                                                                                  "BJ", "MA", "TN", "HT"][n % 10],
             chamber_name=f"Assembly {n}", gives_assistance=n < 8, receives_assistance=n >= 8,
             working_languages=["fr"]) for n in range(20)])
    parliaments = db.session.execute(select(Parliament.id, Parliament.gives_assistance)).all()
    assisting = [pid for pid, gives in parliaments if gives]
    receiving = [pid for pid, gives in parliaments if not gives]
    db.session.execute(insert(Person), [
        dict(email=f"p{n}@bench.example", full_name=f"Person {n:05d} {rng.choice(['Diallo', 'Martin', 'Silva'])}",
             kind=PersonKind.MP if n % 3 == 0 else PersonKind.STAFF,
             parliament_id=rng.choice(assisting if n % 2 == 0 else receiving)) for n in range(persons)])
    candidates = list(db.session.scalars(select(Person.id).where(Person.parliament_id.in_(assisting))))
    chosen = rng.sample(candidates, min(profiles, len(candidates)))
    words = ["budget", "audit", "committee", "hansard", "ict", "protocol", "library", "archives", "gender",
             "security", "procedure", "oversight", "hr", "training", "e-parliament"]
    db.session.execute(insert(ExpertProfile), [
        dict(person_id=pid, summary=f"Official with {rng.randint(2, 30)} years in {rng.choice(words)}",
             keywords=rng.sample(words, rng.randint(0, 4)), willing_to_travel=rng.random() < 0.85,
             active=rng.random() < 0.95, travel_note="") for pid in chosen])
    profile_rows = db.session.execute(select(ExpertProfile.id, ExpertProfile.person_id)).all()
    topic_ids = list(db.session.scalars(select(Topic.id)))
    db.session.execute(insert(expert_topic), [
        dict(profile_id=profile_id, topic_id=topic_id) for profile_id, _pid in profile_rows
        for topic_id in rng.sample(topic_ids, rng.randint(1, 4))])
    languages, periods = [], []
    for profile_id, _pid in profile_rows:
        for code in set(rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()),
                                    k=rng.randint(1, 3))):
            languages.append(dict(profile_id=profile_id, language=code,
                                  level=rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]))
        start = TODAY + timedelta(days=rng.randint(0, 60))
        for _n in range(rng.randint(0, 3)):
            end = start + timedelta(days=rng.randint(3, 45))
            periods.append(dict(profile_id=profile_id, starts_on=start, ends_on=end, note=""))
            start = end + timedelta(days=rng.randint(10, 90))
    db.session.execute(insert(ExpertLanguage), languages)
    db.session.execute(insert(ExpertAvailability), periods)
    # Past missions for a fifth of the experts, one to four each, over the last three years.
    veterans = [pid for _profile, pid in profile_rows if rng.random() < 0.2]
    missions = max(len(veterans), 1)
    starts = [NOW - timedelta(days=rng.randint(30, 3 * 365)) for _n in range(missions)]
    db.session.execute(insert(Activity), [
        dict(title=f"Mission {n}", modality=rng.choice([Modality.NEEDS_ASSESSMENT_MISSION,
                                                        Modality.TECHNICAL_ASSISTANCE_MISSION]),
             timezone="UTC", status=ActivityStatus.COMPLETED, languages=["fr"], starts_at=start,
             ends_at=start + timedelta(days=5), host_parliament_id=rng.choice(receiving))
        for n, start in enumerate(starts)])
    activity_ids = list(db.session.scalars(select(Activity.id).where(Activity.title.like("Mission %"))))
    db.session.execute(insert(activity_topic), [dict(activity_id=a, topic_id=rng.choice(topic_ids))
                                                for a in activity_ids])
    team = {(rng.choice(activity_ids), pid) for pid in veterans for _n in range(rng.randint(1, 4))}
    db.session.execute(insert(MissionTeamMember), [dict(activity_id=a, person_id=p, role=TeamRole.EXPERT)
                                                   for a, p in team])
    db.session.commit()


def naive_page(filters: SearchFilters, page: int, per_page: int) -> list:
    """The obvious version: the same ranked page, then each profile's relations read one by one."""
    pagination = ResultPagination(select=ranked_statement(filters), session=db.session, page=page,
                                  per_page=per_page, max_per_page=per_page, error_out=False)
    shown = []
    for profile, person, parliament, _score in pagination.items:
        shown.append((person.full_name, parliament.name_en, [t.slug for t in profile.topics],
                      [(row.language, row.level) for row in profile.languages],
                      [a.starts_on for a in profile.availability if a.ends_on >= TODAY],
                      len(roster.past_missions([person.id])[person.id]),
                      len(roster.trained_activities([person.id])[person.id])))
    return shown


def batch_page(filters: SearchFilters, page: int, per_page: int) -> list:
    pagination = search(filters, page=page, per_page=per_page, today=TODAY)
    return [(r.person.full_name, r.parliament.name_en, [t.slug for t in r.topics],
             [(row.language, row.level) for row in r.languages], [a.starts_on for a in r.availability],
             len(r.missions), len(r.trained)) for r in pagination.items]


def measured(function, *args) -> tuple[float, int, int]:
    statements = []

    def count(*_args):
        statements.append(1)

    db.session.expire_all()  # nothing carried over from the previous page
    event.listen(db.engine, "before_cursor_execute", count)
    began = time.perf_counter()
    rows = function(*args)
    elapsed = time.perf_counter() - began
    event.remove(db.engine, "before_cursor_execute", count)
    return elapsed, len(statements), len(rows)


def run_searches(pages: int, per_page: int) -> None:
    topic_ids = list(db.session.scalars(select(Topic.id).order_by(Topic.id)))
    start = TODAY + timedelta(days=20)
    searches = {
        "everyone": SearchFilters(),
        "topic + French": SearchFilters(topic_ids=tuple(topic_ids[:2]), language="fr"),
        "every filter": SearchFilters(topic_ids=tuple(topic_ids[:3]), language="en",
                                      min_level=LanguageLevel.WORKING, available_from=start,
                                      available_to=start + timedelta(days=5), country="GM", text="budget"),
    }
    ratios = []
    print(f"{'search':16} {'page':>4} {'size':>4} {'rows':>4} {'batch stmts':>11} {'batch ms':>9} "
          f"{'naive stmts':>11} {'naive ms':>9} {'ratio':>6}")
    for label, filters in searches.items():
        for size in (per_page, 50):
            for page in range(1, pages + 1):
                runs = [measured(batch_page, filters, page, size) for _n in range(3)]
                naive = [measured(naive_page, filters, page, size) for _n in range(3)]
                b_ms, n_ms = (statistics.median(r[0] for r in runs) * 1000,
                              statistics.median(r[0] for r in naive) * 1000)
                rows = runs[0][2]
                if not rows:
                    break
                ratios.append(n_ms / b_ms)
                print(f"{label:16} {page:4} {size:4} {rows:4} {runs[0][1]:11} {b_ms:9.1f} {naive[0][1]:11} "
                      f"{n_ms:9.1f} {n_ms / b_ms:6.1f}")
    print(f"naive / batch time, median over the pages: {statistics.median(ratios):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--profiles", type=int, default=3_000)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--per-page", type=int, default=25)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    options = parser.parse_args()
    with scratch_database(options.database_url) as url:
        os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", tempfile.mkdtemp(prefix="hemicycle-bench-"))
        app = create_app({"TESTING": True, "SECRET_KEY": uuid.uuid4().hex * 2, "SQLALCHEMY_DATABASE_URI": url,
                          "SITE_URL": "https://hemicycle.test", "WTF_CSRF_ENABLED": False})
        rng = random.Random(18)
        with app.app_context():
            db.create_all()
            began = time.perf_counter()
            seed(options.persons, options.profiles, rng)
            counts = [db.session.scalar(select(db.func.count()).select_from(model))
                      for model in (Person, ExpertProfile, ExpertLanguage, ExpertAvailability, MissionTeamMember)]
            print(f"{db.engine.dialect.name}; {counts[0]:,} persons, {counts[1]:,} profiles, {counts[2]:,} languages, "
                  f"{counts[3]:,} availability periods, {counts[4]:,} past mission places "
                  f"(seeded in {time.perf_counter() - began:.1f} s)")
            run_searches(options.pages, options.per_page)
            trainer = Person(email="trainer@bench.example", full_name="Trainer", role=Role.TRAINER)
            set_password(trainer, PASSWORD)
            db.session.add(trainer)
            db.session.commit()
            client = app.test_client()
            assert client.post("/account/login", data={"email": trainer.email, "password": PASSWORD}
                               ).status_code == 302, "the trainer could not sign in"
            for route in ("/manage/experts", "/manage/experts?page=3", "/manage/experts?language=fr&level=fluent"):
                times, statements = [], []
                for _n in range(3):
                    found = []

                    def count(*_args, found=found):
                        found.append(1)

                    event.listen(db.engine, "before_cursor_execute", count)
                    began = time.perf_counter()
                    response = client.get(route)
                    times.append(time.perf_counter() - began)
                    event.remove(db.engine, "before_cursor_execute", count)
                    statements.append(len(found))
                    assert response.status_code == 200
                print(f"page {route:44} {statistics.median(times) * 1000:7.1f} ms, {statements[-1]} statements")
            db.engine.dispose()


if __name__ == "__main__":
    main()
