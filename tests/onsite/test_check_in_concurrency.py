"""Several scanners at one door at once, over HTTP: exactly one attendance per person and session.

The app runs under gunicorn with several worker processes on the test's database (a SQLite file, or
PostgreSQL with TEST_DATABASE_URL). Client processes (spawned, each with its own requests session, signed in
as the activity's trainer or as its check-in helper) wait at one barrier, then post the same codes at the
same moment with scan ids of their own, in JSON batches and through the page's form; two of them also send
one scan under the same scan id (an offline queue resent from two tabs). Every scan must be answered, each
person recorded once and reported "already" to every other scanner, and the shared scan id stored once.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select, update

from elearn.access import Role
from elearn.extensions import db
from elearn.onsite import tickets
from elearn.onsite.models import CheckInHelper, CheckInScan
from elearn.scheduling.models import ActivitySession, Attendance, AttendanceStatus, Registration, RegistrationState
from tests import factories
from tests.onsite.factories import two_day_activity

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 40
CLIENTS = 4
WORKERS = 3
BATCH = 10
FORM_POSTS = 3  # codes each client also types into the page's form
TIMEOUT = 90
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SHARED_SCAN_ID = "shared-scan-sent-from-two-tabs"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn stopped: see its output above"
        try:
            requests.get(f"{base}/healthz", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def token_of(page: str) -> str:
    match = CSRF.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def scanner(base: str, activity_id: int, email: str, codes: list[str], shared_code: str | None, start, results):
    """In a child process: sign in, wait for the others, post every code (shuffled) and report the answers."""
    began = time.monotonic()
    try:
        browser = requests.Session()
        login = browser.get(f"{base}/account/login", timeout=30).text
        signed_in = browser.post(f"{base}/account/login", allow_redirects=False, timeout=30,
                                 data={"email": email, "password": factories.PASSWORD, "csrf_token": token_of(login)})
        assert signed_in.status_code == 302, f"sign-in as {email}: {signed_in.status_code}"
        page = f"{base}/check-in/{activity_id}"
        token = token_of(browser.get(page, timeout=30).text)
        # The first batch is the same everywhere (the same people at the same moment); the rest in any order.
        rest = codes[FORM_POSTS + BATCH:]
        random.shuffle(rest)
        typed, sent = codes[:FORM_POSTS], codes[FORM_POSTS:FORM_POSTS + BATCH] + rest
        now = datetime.now(timezone.utc).isoformat()
        scans = [{"scan_id": str(uuid.uuid4()), "code": code, "scanned_at": now} for code in sent]
        if shared_code:
            scans.insert(len(scans) // 2, {"scan_id": SHARED_SCAN_ID, "code": shared_code, "scanned_at": now})
        answers, form_statuses = [], []
        ready = time.monotonic() - began
        start.wait(timeout=TIMEOUT)
        began = time.monotonic()
        for code in typed:
            response = browser.post(page, data={"code": code, "csrf_token": token}, allow_redirects=False,
                                    timeout=TIMEOUT)
            form_statuses.append(response.status_code)
        for first in range(0, len(scans), BATCH):
            batch = scans[first:first + BATCH]
            response = browser.post(f"{page}/scans", json={"scans": batch}, headers={"X-CSRFToken": token},
                                    timeout=TIMEOUT)
            assert response.status_code == 200, f"{response.status_code}: {response.text[:300]}"
            got = response.json()["results"]
            assert [r["scan_id"] for r in got] == [s["scan_id"] for s in batch], "answers out of order"
            answers.extend({**r, "code": s["code"]} for r, s in zip(got, batch, strict=True))
        results.put({"email": email, "answers": answers, "form": form_statuses, "typed": typed,
                     "seconds": time.monotonic() - began, "ready": ready})
    except Exception as error:  # reported to the test, which fails with it
        results.put({"email": email, "error": f"{type(error).__name__}: {error}"})


def serve(database_url: str, tmp_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "concurrency-test-secret-" + "s" * 16,
                   "HEMICYCLE_INSTANCE_PATH": str(tmp_path / "instance"), "SESSION_COOKIE_SECURE": "false",
                   "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen(
        # --preload: the app is imported once and forked, not once per worker (seconds on a busy machine); no
        # control socket (its default path is shared by every gunicorn of the machine); a short graceful stop.
        [sys.executable, "-m", "gunicorn", "--preload", "--no-control-socket", "--graceful-timeout", "3",
         "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--timeout", str(TIMEOUT), "wsgi:app"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
    return process, f"http://127.0.0.1:{port}"


def under_way_with_participants(people) -> tuple[int, dict[str, int], str]:
    """An activity whose first session is under way now (real time: gunicorn has its own clock), its trainer,
    a helper, and PEOPLE confirmed participants with tickets: {code: registration id}."""
    activity = two_day_activity(trainer_ids=[people["trainer"].id], capacity=PEOPLE)
    helper = factories.make_person(Role.LEARNER, email="door.helper@example.org")
    db.session.add(CheckInHelper(activity_id=activity.id, person_id=helper.id))
    codes = {}
    parliament = factories.make_parliament()
    for n in range(PEOPLE):
        person = factories.make_person(full_name=f"Participant {n:02d}", parliament=parliament)
        registration = Registration(activity=activity, person=person, state=RegistrationState.CONFIRMED)
        db.session.add(registration)
        db.session.flush()
        codes[tickets.issue(registration).code] = registration.id
    now = datetime.now(timezone.utc)
    first = activity.sessions[0]
    db.session.execute(update(ActivitySession).where(ActivitySession.id == first.id).values(
        starts_at=now - timedelta(minutes=20), ends_at=now + timedelta(hours=2)))
    db.session.commit()
    return activity.id, codes, first.id


def test_scanners_at_once_record_each_person_once(app, people, database_url, tmp_path):
    activity_id, codes, session_id = under_way_with_participants(people)
    db.session.close()  # nothing of ours may hold a lock while the scanners run
    db.engine.dispose()  # nor a connection be shared with the forked scanners (they only speak HTTP)
    process, base = serve(database_url, tmp_path)
    # Forked, not spawned: a scanner needs only requests, and importing the app again costs seconds each.
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(CLIENTS), context.Queue()
    emails = ["trainer@example.org", "door.helper@example.org"] * (CLIENTS // 2)
    shared_code = next(iter(codes))
    children = [context.Process(target=scanner, args=(base, activity_id, email, list(codes),
                                                      shared_code if n < 2 else None, start, results))
                for n, email in enumerate(emails)]
    try:
        wait_until_serving(base, process)
        for child in children:
            child.start()
        reports = []
        try:
            for _ in children:
                reports.append(results.get(timeout=TIMEOUT * 2))
        except queue.Empty:
            pytest.fail(f"no answer from every scanner; exit codes: {[c.exitcode for c in children]}")
    finally:
        for child in children:
            child.join(timeout=TIMEOUT)
            if child.exitcode is None:
                child.kill()
        process.send_signal(signal.SIGINT)  # quick shutdown: every request has been answered
        process.wait(timeout=30)
    errors = [report["error"] for report in reports if "error" in report]
    assert not errors, errors
    print("scanners' seconds:", sorted(round(report["seconds"], 1) for report in reports),
          "ready after", sorted(round(report["ready"], 1) for report in reports))

    answers = [answer for report in reports for answer in report["answers"]]
    sent = CLIENTS * (PEOPLE - FORM_POSTS) + 2
    assert len(answers) == sent, "every scan is answered"
    assert all(status == 302 for report in reports for status in report["form"])
    assert {answer["outcome"] for answer in answers} <= {"recorded", "already"}
    # The shared scan id: the same result to both senders, stored once, and one of them told it is a replay.
    shared = [answer for answer in answers if answer["scan_id"] == SHARED_SCAN_ID]
    assert len(shared) == 2 and shared[0]["outcome"] == shared[1]["outcome"]
    assert sorted(answer["replayed"] for answer in shared) == [False, True]
    others = [answer for answer in answers if answer["scan_id"] != SHARED_SCAN_ID]
    assert not any(answer["replayed"] for answer in others)

    db.session.expire_all()
    marks = db.session.execute(select(Attendance.registration_id, Attendance.status).where(
        Attendance.session_id == session_id)).all()
    assert sorted(registration for registration, _ in marks) == sorted(codes.values()), "one row per person"
    assert {status for _, status in marks} == {AttendanceStatus.PRESENT}
    # Each person was recorded by exactly one scan (JSON or typed); every other scan of them said "already".
    recorded = [answer["code"] for answer in others if answer["outcome"] == "recorded"]
    typed_recorded = db.session.scalar(select(func.count(CheckInScan.id)).where(
        CheckInScan.activity_id == activity_id, CheckInScan.outcome == "recorded",
        CheckInScan.scan_id.not_in([answer["scan_id"] for answer in answers])))
    shared_recorded = sum(1 for answer in shared if answer["outcome"] == "recorded" and not answer["replayed"])
    assert len(recorded) + typed_recorded + shared_recorded == PEOPLE
    assert len(set(recorded)) == len(recorded)
    stored = db.session.scalar(select(func.count(CheckInScan.id)).where(CheckInScan.activity_id == activity_id))
    assert stored == sent - 1 + CLIENTS * FORM_POSTS  # every scan kept, the shared one once
