"""Evaluation results over a programme and period: time and SQL statements at 10, 100 and 1,000 activities.

    .venv/bin/python bench/evaluation.py [--activities 1000] [--responses 20000]
                                         [--database-url postgresql+psycopg://postgres@127.0.0.1/test]

Without --database-url it uses a temporary SQLite file; with a PostgreSQL URL it
creates a database of its own on that server and drops it at the end. It seeds one
programme of `--activities` activities on consecutive days (two sessions each, one
questionnaire of five questions: a rating, one choice, per-session ratings, free text,
several choices), `--responses` responses spread evenly with their answers, invited
receipts and attended registrations, then, as a signed-in trainer, asks for the
programme's results over periods holding 10, 100 and all activities: the page, the CSV
and the spreadsheet (median of 3 requests, SQL statements of one). The statements must
not grow with the activities: the ratio of statement counts is printed, and must be 1.
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
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.access import Role  # noqa: E402
from elearn.evaluation.models import (  # noqa: E402
    ActivityQuestionnaire,
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseReceipt,
)
from elearn.extensions import db  # noqa: E402
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

PASSWORD = "bench-password-0123"
FIRST_DAY = datetime(2024, 1, 1, 8, tzinfo=timezone.utc)
OPTIONS = [{"key": key, "label": {"en": key.upper()}} for key in "abc"]


def _questionnaire() -> tuple[int, dict]:
    questionnaire = Questionnaire(slug="bench", title={"en": "Bench questionnaire"})
    questionnaire.questions = [
        Question(position=1, kind=QuestionKind.RATING, prompt={"en": "Useful?"}, scale_points=5),
        Question(position=2, kind=QuestionKind.SINGLE, prompt={"en": "Best part?"}, options=OPTIONS),
        Question(position=3, kind=QuestionKind.SESSION_RATING, prompt={"en": "Sessions"}, scale_points=5),
        Question(position=4, kind=QuestionKind.TEXT, prompt={"en": "Anything else?"}, required=False),
        Question(position=5, kind=QuestionKind.MULTIPLE, prompt={"en": "Will use?"}, options=OPTIONS),
    ]
    db.session.add(questionnaire)
    db.session.flush()
    return questionnaire.id, {q.kind: q.id for q in questionnaire.questions}


def seed(activities: int, responses: int, rng: random.Random) -> int:
    """One programme's activities, one a day from FIRST_DAY, with responses and who attended; its id."""
    db.session.execute(insert(Parliament), [
        dict(name_en=f"Parliament {n}", name_fr=f"Parlement {n}", country_code="GM", chamber_name=f"Assembly {n}",
             receives_assistance=True, working_languages=["en"]) for n in range(20)])
    parliaments = list(db.session.scalars(select(Parliament.id)))
    programme = Programme(slug="bench", title="Bench programme", kind=ProgrammeKind.BILATERAL, funders=["EU"])
    db.session.add(programme)
    db.session.flush()
    questionnaire_id, questions = _questionnaire()
    per_activity = max(responses // activities, 1)
    db.session.execute(insert(Person), [
        dict(email=f"p{n}@bench.example", full_name=f"Person {n}", kind=PersonKind.STAFF,
             parliament_id=rng.choice(parliaments)) for n in range(max(per_activity * 10, 100))])
    people = list(db.session.scalars(select(Person.id).where(Person.email.like("p%@bench.example"))))
    db.session.execute(insert(Activity), [
        dict(title=f"Activity {n}", modality=Modality.SEMINAR, timezone="Europe/Paris", status=ActivityStatus.COMPLETED,
             languages=["en"], programme_id=programme.id, starts_at=FIRST_DAY + timedelta(days=n),
             ends_at=FIRST_DAY + timedelta(days=n, hours=32)) for n in range(activities)])
    activity_ids = list(db.session.scalars(select(Activity.id).order_by(Activity.id)))
    db.session.execute(insert(ActivitySession), [
        dict(activity_id=aid, starts_at=FIRST_DAY + timedelta(days=n, hours=24 * s),
             ends_at=FIRST_DAY + timedelta(days=n, hours=24 * s + 8), all_day=False)
        for n, aid in enumerate(activity_ids) for s in range(2)])
    sessions: dict[int, list[int]] = {}
    for sid, aid in db.session.execute(select(ActivitySession.id, ActivitySession.activity_id)):
        sessions.setdefault(aid, []).append(sid)
    db.session.execute(insert(ActivityQuestionnaire), [
        dict(activity_id=aid, questionnaire_id=questionnaire_id, opens_at=FIRST_DAY + timedelta(days=n + 2),
             closes_at=FIRST_DAY + timedelta(days=n + 16)) for n, aid in enumerate(activity_ids)])
    links = dict(db.session.execute(select(ActivityQuestionnaire.activity_id, ActivityQuestionnaire.id)).all())
    registrations, receipts, response_rows, answers = [], [], [], []
    for aid in activity_ids:
        for pid in rng.sample(people, per_activity + 2):
            registrations.append(dict(activity_id=aid, person_id=pid, state=RegistrationState.CONFIRMED))
            receipts.append(dict(activity_questionnaire_id=links[aid], person_id=pid, invited=True))
        for _n in range(per_activity):
            key = secrets.token_hex(16)
            is_mp = rng.random() < 0.5
            response_rows.append(dict(
                id=key, activity_questionnaire_id=links[aid], submitted_on=date(2024, 6, 1),
                parliament_id=rng.choice(parliaments), gender=rng.choice([Gender.WOMAN, Gender.MAN, None]),
                kind=PersonKind.MP if is_mp else PersonKind.STAFF,
                political_side=rng.choice([PoliticalSide.RULING, PoliticalSide.OPPOSITION]) if is_mp else None))
            answers.append(dict(response_id=key, question_id=questions[QuestionKind.RATING], rating=rng.randint(1, 5),
                                choices=[], text=""))
            answers.append(dict(response_id=key, question_id=questions[QuestionKind.SINGLE],
                                choices=[rng.choice("abc")], text=""))
            answers.extend(dict(response_id=key, question_id=questions[QuestionKind.SESSION_RATING], session_id=sid,
                                rating=rng.randint(1, 5), choices=[], text="") for sid in sessions[aid])
            answers.append(dict(response_id=key, question_id=questions[QuestionKind.MULTIPLE],
                                choices=rng.sample("abc", rng.randint(0, 3)), text=""))
            if rng.random() < 0.25:
                answers.append(dict(response_id=key, question_id=questions[QuestionKind.TEXT], choices=[],
                                    text=f"Comment {rng.randint(1, 10**6)}"))
    for model, rows in ((Registration, registrations), (ResponseReceipt, receipts), (Response, response_rows),
                        (Answer, answers)):
        for start in range(0, len(rows), 10_000):
            db.session.execute(insert(model), rows[start:start + 10_000])
    first_sessions = {aid: min(sids) for aid, sids in sessions.items()}
    attendance = [dict(registration_id=rid, session_id=first_sessions[aid], status=AttendanceStatus.PRESENT)
                  for rid, aid in db.session.execute(select(Registration.id, Registration.activity_id))]
    for start in range(0, len(attendance), 10_000):
        db.session.execute(insert(Attendance), attendance[start:start + 10_000])
    db.session.commit()
    return programme.id


def measure(client, route: str) -> tuple[float, int, int]:
    """Median seconds of 3 requests, SQL statements of one more, and its size in bytes."""
    times = []
    for _n in range(3):
        began = time.perf_counter()
        response = client.get(route)
        assert response.status_code == 200, route
        response.get_data()
        times.append(time.perf_counter() - began)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    body = client.get(route).get_data()
    event.remove(db.engine, "before_cursor_execute", count)
    return statistics.median(times), len(statements), len(body)


def _database(database_url: str):
    if database_url:
        server = make_url(database_url)
        name = f"hemicycle_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))

        def cleanup():
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        return server.set(database=name).render_as_string(hide_password=False), cleanup
    folder = tempfile.TemporaryDirectory()
    return f"sqlite:///{folder.name}/bench.db", folder.cleanup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    options = parser.parse_args()
    url, cleanup = _database(options.database_url)
    os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", tempfile.mkdtemp(prefix="hemicycle-bench-"))
    app = create_app({"TESTING": True, "SECRET_KEY": uuid.uuid4().hex * 2, "SQLALCHEMY_DATABASE_URI": url,
                      "SITE_URL": "https://hemicycle.test", "WTF_CSRF_ENABLED": False})
    try:
        with app.app_context():
            db.create_all()
            trainer = Person(email="trainer@bench.example", full_name="Trainer", role=Role.TRAINER)
            set_password(trainer, PASSWORD)
            db.session.add(trainer)
            db.session.commit()
            began = time.perf_counter()
            programme_id = seed(options.activities, options.responses, random.Random(7))
            seeded = time.perf_counter() - began
            client = app.test_client()
            assert client.post("/account/login", data={"email": trainer.email, "password": PASSWORD}).status_code == 302
            count = {model.__name__: db.session.scalar(select(db.func.count()).select_from(model))
                     for model in (Activity, Response, Answer, ResponseReceipt, Registration)}
            print(f"{db.engine.dialect.name}: " + ", ".join(f"{n:,} {name}" for name, n in count.items())
                  + f" (seeded in {seeded:.0f} s)")
            print(f"{'output':6} {'activities':>10} {'ms':>8} {'statements':>10} {'KB':>8}")
            for output in ("", ".csv", ".xlsx"):
                figures = []
                for size in (10, 100, options.activities):
                    last = (FIRST_DAY + timedelta(days=size - 1)).date()
                    route = (f"/evaluation/results{'/results' + output if output else ''}?programme_id={programme_id}"
                             f"&date_from={FIRST_DAY.date().isoformat()}&date_to={last.isoformat()}")
                    seconds, statements, size_bytes = measure(client, route)
                    figures.append(statements)
                    print(f"{output or 'page':6} {size:>10,} {seconds * 1000:8.0f} {statements:>10} "
                          f"{size_bytes / 1024:8.0f}")
                print(f"{output or 'page':6} statements {options.activities:,} against 10 activities: "
                      f"{figures[-1] / figures[0]:.2f}")
            db.engine.dispose()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
