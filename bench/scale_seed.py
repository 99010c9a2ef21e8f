"""A PostgreSQL database the size of a busy platform, for bench/pages.py.

    .venv/bin/python bench/scale_seed.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/hemicycle_big
    .venv/bin/python bench/scale_seed.py --database-url ...hemicycle_tiny --scale 0      # the demo data only
    .venv/bin/python bench/scale_seed.py --database-url ...hemicycle_small --scale 0.1   # a tenth, in seconds

The database is dropped and created again, migrated (`flask db upgrade`), given the demo data (`flask demo
seed`: its accounts are the ones bench/pages.py signs in with), then, at --scale 1: 100,000 people,
10,000 activities, about 23,000 sessions, 1,000,000 registrations and about 1.2 million attendance rows,
written with COPY (psycopg's copy) in a few minutes. The rows follow the models' rules: people belong to
partner parliaments, members have a political side and its history, registrations are confirmed up to the
capacity then waitlisted with growing positions (past activities have none waiting), attendance exists for
confirmed participants of activities that have started. Two rows stand out on purpose: one activity with
8,000 registrations (running now, so that its attendance can be taken), and the demo member of parliament
(mp@example.org) with 400 registrations.
"""
from __future__ import annotations

import argparse
import random
import secrets
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

UTC = timezone.utc
BIGGEST_TITLE = "Scale: the biggest regional seminar"
BIGGEST_REGISTRATIONS = 8000
BUSY_LEARNER = "mp@example.org"
BUSY_REGISTRATIONS = 400
FIRST_NAMES = ("Aminata Lamin Fatou Sonam Karma Grace Chikondi Aïcha Moussa Ibrahim Mariam Ahmed Leila Pedro Ana "
               "Lucía Jorge Camila Nikola Jelena Ivan Siti Ahmad Nurul Aishath Mohamed Kadiatou Issa Rokia "
               "Sipho Thandiwe Joseph Marie Jean Hawa Omar Yasmin Tenzin Pema Dorji").split()
LAST_NAMES = ("Jallow Ceesay Touray Dorji Wangchuk Phiri Banda Mwale Diallo Traoré Ouédraogo Sow Ba Kane Mendoza "
              "Quispe Rojas Soto Vuković Petrović Abdullah Rahman Hassan Ali Didi Manik Koné Coulibaly Ndiaye "
              "Mensah Haddad Khoury Saliba Joseph Pierre Baptiste Rakoto Andriana Popescu Rusu").split()
MODALITIES = ("training_workshop seminar regional_seminar exchange_visit training_period briefing live_elearning "
              "needs_assessment_mission technical_assistance_mission remote_assistance").split()
ZONES = ("Africa/Banjul", "Europe/Paris", "Asia/Thimphu", "Africa/Blantyre", "America/Panama", "Africa/Niamey",
         "America/Lima", "Indian/Maldives", "Europe/Podgorica", "UTC")
WORDS = ("budget oversight committee hearings minutes procedure archives protocol security library records "
         "plenary amendments drafting induction ethics petitions").split()


def psycopg_url(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def recreate(url) -> None:
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def migrate_and_demo(url_text: str) -> None:
    """The schema by the migrations (indexes included), then `flask demo seed`."""
    from flask_migrate import upgrade

    from elearn import create_app
    from elearn.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url_text, "SECRET_KEY": "scale-seed-not-a-secret-0123456789",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "MAIL_SERVER": "",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["demo", "seed"])
        if result.exit_code != 0:
            raise SystemExit(f"demo seed failed: {result.output}{result.exception!r}")
        print(result.output.strip())
        db.engine.dispose()


class Ids:
    """The next free id of each table, read once, so that COPY can write explicit ids."""

    def __init__(self, cursor, tables):
        self.next = {}
        for table in tables:
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            self.next[table] = cursor.fetchone()[0]

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def lookup(cursor, sql: str) -> list:
    cursor.execute(sql)
    return cursor.fetchall()


class Seeder:
    def __init__(self, connection, scale: float, rng: random.Random):
        self.connection, self.cursor, self.rng, self.scale = connection, connection.cursor(), rng, scale
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.ids = Ids(self.cursor, ["person", "political_affiliation", "activity", "activity_session",
                                     "registration", "attendance"])
        self.partners = [row[0] for row in lookup(self.cursor, "SELECT id FROM parliament "
                                                               "WHERE receives_assistance ORDER BY id")]
        self.password_hash = lookup(self.cursor, "SELECT password_hash FROM person WHERE email = 'mp@example.org'")[0][0]
        self.topics = [row[0] for row in lookup(self.cursor, "SELECT id FROM topic")]
        self.trainer_id = lookup(self.cursor, "SELECT id FROM person WHERE email = 'trainer@example.org'")[0][0]
        self.busy = lookup(self.cursor, f"SELECT id FROM person WHERE email = '{BUSY_LEARNER}'")[0][0]
        self.people: list[tuple[int, int, str]] = []  # id, parliament, kind
        self.focal_points: dict[int, list[int]] = {}
        self.trainers: list[int] = [self.trainer_id]

    def count(self, full: int) -> int:
        return max(int(full * self.scale), 1)

    # People --------------------------------------------------------------------------------------

    def person_rows(self, total: int):
        for number in range(total):
            person_id = self.ids.take("person")
            parliament = self.partners[number % len(self.partners)]
            role = "learner"
            if number % 997 == 0:
                role = "focal_point"
                self.focal_points.setdefault(parliament, []).append(person_id)
            elif number % 4999 == 1:
                role = "trainer"
                self.trainers.append(person_id)
            kind = "mp" if self.rng.random() < 0.4 and role == "learner" else "staff"
            gender = self.rng.choice(["woman", "man", "woman", "man", "another", "prefer_not_to_say", None])
            term = (self.now.date() - timedelta(days=self.rng.randint(30, 3000))) if kind == "mp" else None
            side = self.rng.choice(["ruling", "opposition", "independent"]) if kind == "mp" else None
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)} {number}"
            created = self.now - timedelta(days=self.rng.randint(1, 1500))
            self.people.append((person_id, parliament, kind))
            yield (person_id, f"p{person_id}@scale.example.org", self.password_hash, name, parliament, kind, "",
                   self.rng.choice(["en", "fr", "es"]), "UTC", gender, side, term, role,
                   self.rng.random() > 0.02, secrets.token_urlsafe(18), created, None)

    def affiliation_rows(self, side_of):
        for person_id, _parliament, kind in self.people:
            if kind != "mp":
                continue
            term_start, side = side_of[person_id]
            changes = [(term_start, side)]
            if self.rng.random() < 0.2:
                earlier = self.rng.choice(["ruling", "opposition", "independent"])
                changes = [(term_start, earlier), (term_start + timedelta(days=self.rng.randint(60, 600)), side)]
            for effective_from, value in changes:
                if effective_from > self.now.date():
                    continue
                yield (self.ids.take("political_affiliation"), person_id, value, effective_from, self.now, None, "")

    def seed_people(self) -> None:
        columns = ["id", "email", "password_hash", "full_name", "parliament_id", "kind", "position",
                   "preferred_language", "timezone", "gender", "political_side", "term_started_on", "role",
                   "is_active", "session_key", "created_at", "last_login_at"]
        rows = []
        side_of = {}
        for row in self.person_rows(self.count(100_000)):
            rows.append(row)
            if row[5] == "mp":
                side_of[row[0]] = (row[11], row[10])
        print(f"  people: {copy_rows(self.cursor, 'person', columns, rows):,}")
        count = copy_rows(self.cursor, "political_affiliation",
                          ["id", "person_id", "side", "effective_from", "recorded_at", "recorded_by_id", "note"],
                          self.affiliation_rows(side_of))
        print(f"  political side changes: {count:,}")

    # Activities and sessions ---------------------------------------------------------------------

    def seed_activities(self) -> None:
        activity_columns = ["id", "title", "description_md", "description_html", "programme_id", "modality",
                            "languages", "audience", "host_parliament_id", "venue_name", "venue_address",
                            "venue_city", "venue_country", "online_url", "timezone", "capacity",
                            "quota_per_parliament", "registration_opens_at", "registration_closes_at",
                            "approval_required", "status", "starts_at", "ends_at", "published_at", "seat_lock",
                            "created_at", "updated_at", "created_by_id", "course_id", "prerequisite_course_id"]
        activities, sessions, topics, trainers = [], [], [], []
        self.activities: list[dict] = []
        total = self.count(10_000)
        for number in range(total):
            biggest = number == 0
            activity_id = self.ids.take("activity")
            first = (self.now - timedelta(days=1) if biggest
                     else self.now + timedelta(days=self.rng.randint(-1100, 365)))
            first = first.replace(hour=8, minute=0, second=0)
            days = 4 if biggest else self.rng.choice([1, 1, 2, 2, 3, 3, 4, 5])
            all_day = not biggest and self.rng.random() < 0.1
            spans = []
            if all_day:
                start = first.replace(hour=0)
                spans.append((start, start + timedelta(days=days), True))
            else:
                spans = [(first + timedelta(days=d), first + timedelta(days=d, hours=7, minutes=30), False)
                         for d in range(days)]
            starts_at, ends_at = spans[0][0], spans[-1][1]
            status = "published"
            roll = self.rng.random()
            if not biggest and roll < 0.04:
                status = "draft"
            elif not biggest and roll < 0.07:
                status = "cancelled"
            elif ends_at < self.now and roll < 0.5:
                status = "completed"
            capacity = 5000 if biggest else self.rng.randint(15, 150)
            title = BIGGEST_TITLE if biggest else (
                f"{self.rng.choice(WORDS).capitalize()} and {self.rng.choice(WORDS)} {number}")
            updated = min(starts_at, self.now) - timedelta(hours=3)
            activities.append((activity_id, title, "", "", None, self.rng.choice(MODALITIES), '["en"]',
                               "both" if biggest else self.rng.choice(["both", "both", "mps", "staff"]),
                               self.rng.choice(self.partners), "Parliament building", "", "Capital", "", "",
                               "UTC", capacity, None, None, None, False, status, starts_at, ends_at,
                               None if status == "draft" else updated, 0, updated, updated, self.trainer_id,
                               None, None))
            session_ids = []
            for start, end, whole_day in spans:
                session_id = self.ids.take("activity_session")
                session_ids.append(session_id)
                sessions.append((session_id, activity_id, start, end, whole_day, "", 0, updated))
            for topic in self.rng.sample(self.topics, min(2, len(self.topics))):
                topics.append((activity_id, topic))
            trainer = self.trainer_id if biggest or self.rng.random() < 0.1 else self.rng.choice(self.trainers)
            trainers.append((activity_id, trainer))
            self.activities.append({"id": activity_id, "capacity": capacity, "status": status,
                                    "started": starts_at <= self.now, "over": ends_at <= self.now,
                                    "sessions": [(s, start) for s, (start, _e, _a) in zip(session_ids, spans, strict=True)],
                                    "biggest": biggest})
        print(f"  activities: {copy_rows(self.cursor, 'activity', activity_columns, activities):,}")
        count = copy_rows(self.cursor, "activity_session", ["id", "activity_id", "starts_at", "ends_at", "all_day",
                                                            "title", "sequence", "updated_at"], sessions)
        print(f"  sessions: {count:,}")
        copy_rows(self.cursor, "activity_topic", ["activity_id", "topic_id"], topics)
        copy_rows(self.cursor, "activity_trainer", ["activity_id", "person_id"], trainers)

    # Registrations and attendance ----------------------------------------------------------------

    def registrants(self, activity: dict, size: int, busy_here: bool) -> list[tuple[int, int]]:
        chosen = self.rng.sample(range(len(self.people)), size)
        people = [(self.people[i][0], self.people[i][1]) for i in chosen]
        if busy_here:
            people[self.rng.randrange(len(people))] = (self.busy, 0)
        return people

    def state(self, activity: dict, rank: int) -> str:
        """Seats up to the capacity, then the waiting list (none waits for a past activity); a few leave."""
        roll = self.rng.random()
        if roll < 0.04:
            return "withdrawn"
        if roll < 0.06 or (rank >= activity["capacity"] and activity["over"]):
            return "declined"
        if roll < 0.08 and not activity["over"]:
            return "requested"
        return "confirmed" if rank < activity["capacity"] else "waitlisted"

    def registration_rows(self, attendance: list):
        total = self.count(1_000_000)
        ordinary = max(sum(1 for a in self.activities if a["status"] != "draft") - 1, 1)
        average = max((total - min(BIGGEST_REGISTRATIONS, total // 2)) // ordinary, 1)
        busy = set(self.rng.sample(range(1, len(self.activities)), min(BUSY_REGISTRATIONS, len(self.activities) - 1)))
        for index, activity in enumerate(self.activities):
            if activity["status"] == "draft":
                continue
            size = (min(BIGGEST_REGISTRATIONS, total // 2) if activity["biggest"]
                    else self.rng.randint(max(average // 3, 1), average * 5 // 3))
            size = min(size, len(self.people))
            position = 0
            for rank, (person_id, parliament) in enumerate(self.registrants(activity, size, index in busy)):
                state = self.state(activity, rank)
                waitlist = None
                if state == "waitlisted":
                    position += 1 + (self.rng.random() < 0.1)  # gaps where someone left or moved up
                    waitlist = position
                nominator = None
                focal = self.focal_points.get(parliament)
                if focal and self.rng.random() < 0.15:
                    nominator = self.rng.choice(focal)
                registration_id = self.ids.take("registration")
                created = self.now - timedelta(days=self.rng.randint(1, 400))
                if state == "confirmed" and activity["started"] and activity["status"] != "cancelled":
                    for session_id, start in activity["sessions"]:
                        if start <= self.now:
                            status = self.rng.choices(["present", "absent", "excused"], [85, 10, 5])[0]
                            attendance.append((self.ids.take("attendance"), registration_id, session_id, status,
                                               start + timedelta(hours=8)))
                yield (registration_id, activity["id"], person_id, state, waitlist, nominator, "", created, created)

    def seed_registrations(self) -> None:
        attendance: list = []
        count = copy_rows(self.cursor, "registration",
                          ["id", "activity_id", "person_id", "state", "waitlist_position", "nominated_by_id",
                           "trainer_message", "created_at", "updated_at"], self.registration_rows(attendance))
        print(f"  registrations: {count:,}")
        count = copy_rows(self.cursor, "attendance", ["id", "registration_id", "session_id", "status", "recorded_at"],
                          attendance)
        print(f"  attendance rows: {count:,}")

    def finish(self) -> None:
        for table in self.ids.next:
            self.cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT coalesce(max(id), 1) FROM {table}))")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/hemicycle_big",
                        help="a PostgreSQL database; it is dropped and created again")
    parser.add_argument("--scale", type=float, default=1.0, help="1: 100k people, 1M registrations; 0: demo only")
    parser.add_argument("--seed", type=int, default=24)
    arguments = parser.parse_args()
    url = make_url(arguments.database_url)
    if not url.drivername.startswith("postgresql"):
        raise SystemExit("the scale seed writes with PostgreSQL's COPY: give a postgresql+psycopg:// URL")
    started = time.perf_counter()
    recreate(url)
    migrate_and_demo(url.render_as_string(hide_password=False))
    print(f"schema and demo data: {time.perf_counter() - started:.1f} s")
    if arguments.scale > 0:
        with psycopg.connect(psycopg_url(url)) as connection:
            seeder = Seeder(connection, arguments.scale, random.Random(arguments.seed))
            for step in (seeder.seed_people, seeder.seed_activities, seeder.seed_registrations, seeder.finish):
                step()
                print(f"  … {time.perf_counter() - started:.1f} s")
            connection.commit()
        with psycopg.connect(psycopg_url(url), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
    print(f"ready in {time.perf_counter() - started:.1f} s: {url.render_as_string(hide_password=True)}")


if __name__ == "__main__":
    main()
