"""Two app hosts behind HAProxy on loopback, sharing PostgreSQL and Redis, as docs/DEPLOYMENT.md sets them up.

Two gunicorn instances (deploy/gunicorn.conf.py, each with its own instance
folder and port) behind /usr/sbin/haproxy (round robin), one worker process
per host (`flask mail send --loop`) and a real SMTP server (aiosmtpd). Shows
that a session made on one host works on the other, that sign-in throttling
counts across both, that a change made through host A is in the feed served
by host B, and that the workers on both hosts deliver each mail exactly once.
Runs only where haproxy, PostgreSQL and Redis are available; every wait is
bounded (about a minute in all on a busy machine).
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from datetime import date
from datetime import time as clock
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.access import Role
from elearn.extensions import db
from elearn.jobs.models import Job, JobState
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.people.models import Person
from elearn.people.services import set_password
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, Registration, RegistrationState
from tests.mail.conftest import RecordingHandler, free_port

ROOT = Path(__file__).resolve().parents[2]
HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
GUNICORN = Path(sys.executable).with_name("gunicorn")
FLASK = Path(sys.executable).with_name("flask")
DATABASE = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/11"
PASSWORD = "two-hosts-password-1"
PARTICIPANTS = 40
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    # In CI (.ci/run installs it) a missing HAProxy fails the test instead of skipping it.
    pytest.mark.skipif(HAPROXY is None and not os.environ.get("CI"),
                       reason="HAProxy is not installed (Debian: apt install haproxy)"),
    pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment"),
    pytest.mark.skipif(not reachable(make_url(DATABASE).host or "127.0.0.1", make_url(DATABASE).port or 5432)
                       or make_url(DATABASE).get_backend_name() != "postgresql",
                       reason="needs PostgreSQL (TEST_DATABASE_URL)"),
    pytest.mark.skipif(not reachable("127.0.0.1", 6379), reason="needs Redis on 127.0.0.1:6379"),
]


class Browser:
    """A cookie jar and urllib: one person's browser; every answer's serving host is counted."""

    def __init__(self, served: Counter):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.served = served

    def request(self, url: str, form: dict | None = None, headers: dict | None = None) -> tuple[int, str, Message]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        body = response.read().decode("utf-8", errors="replace")
        host = response.headers.get("X-Served-By")
        if host:
            self.served[host] += 1
        return response.status, body, response.headers  # case-insensitive: HAProxy lower-cases names

    def post_form(self, url: str, form: dict, token_from: str) -> tuple[int, str, Message]:
        status, page, _ = self.request(token_from)
        match = CSRF.search(page)
        assert match, f"no CSRF token on {token_from} ({status})"
        return self.request(url, {**form, "csrf_token": match.group(1)})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


def wait_for(url: str, processes: list[subprocess.Popen], seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert all(process.poll() is None for process in processes), "a server stopped: see its output above"
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


HAPROXY_CONFIG = """
global
    maxconn 200
defaults
    mode http
    option forwardfor
    option http-server-close
    timeout connect 5s
    timeout client 65s
    timeout server 65s
frontend www
    bind 127.0.0.1:{front}
    default_backend hemicycle
backend hemicycle
    balance roundrobin
    http-response set-header X-Served-By %[srv_name]
    server host_a 127.0.0.1:{port_a}
    server host_b 127.0.0.1:{port_b}
"""


@pytest.fixture
def database():
    server = make_url(DATABASE)
    name = f"hemicycle_hosts_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, tag: str) -> dict:
    """A learner, a trainer, and a published activity with PARTICIPANTS confirmed people."""
    app = create_app({"TESTING": True, "SECRET_KEY": "seed-" + "x" * 30, "SQLALCHEMY_DATABASE_URI": url,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        people = {}
        for role in (Role.LEARNER, Role.TRAINER):
            person = Person(email=f"{role.value}-{tag}@example.org", full_name=f"Amina {role.value.title()}",
                            role=role)
            set_password(person, PASSWORD)
            db.session.add(person)
            people[role.value] = person.email
        db.session.commit()
        activity = services.create_activity(services.ActivityInput(
            title="Budget oversight seminar", modality="seminar", timezone="Africa/Banjul", capacity=PARTICIPANTS,
            venue_name="National Assembly", venue_city="Banjul",
            sessions=(services.SessionInput(start_date=date(2030, 5, 6), start_time=clock(9), end_time=clock(12)),)))
        services.set_status(activity, ActivityStatus.PUBLISHED)
        db.session.execute(insert(Person), [{"email": f"member{n}-{tag}@example.org", "full_name": f"Member {n}"}
                                            for n in range(PARTICIPANTS)])
        ids = db.session.scalars(select(Person.id).where(Person.email.like(f"member%-{tag}@example.org"))).all()
        db.session.execute(insert(Registration), [
            {"activity_id": activity.id, "person_id": person_id, "state": RegistrationState.CONFIRMED}
            for person_id in ids])
        db.session.commit()
        people["activity_id"] = activity.id
        db.session.remove()
        db.engine.dispose()
    return people


def host_environment(url: str, instance: Path, port: int, front: int, smtp_port: int, secret: str) -> dict:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("FLASK_", "GUNICORN_", "MAIL_", "SQLALCHEMY_"))}
    environment.update({
        "DATABASE_URL": url, "SECRET_KEY": secret, "HEMICYCLE_INSTANCE_PATH": str(instance),
        "RATELIMIT_STORAGE_URI": REDIS, "SITE_URL": f"http://127.0.0.1:{front}", "PROXY_FIX_HOPS": "1",
        "SESSION_COOKIE_SECURE": "false", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port),
        "MAIL_CLAIM_BATCH": "4", "JOBS_BATCH_SIZE": "10", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "LOGIN_LIMIT_PER_ACCOUNT": "4 per 10 minutes", "LOGIN_LIMIT_PER_IP": "1000 per 10 minutes",
        "DATABASE_POOL_SIZE": "2", "DATABASE_MAX_OVERFLOW": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_ACCESS_LOG": "", "GUNICORN_CONTROL_SOCKET": str(instance / "gunicorn.ctl"),
        "PROMETHEUS_MULTIPROC_DIR": str(instance / "metrics"),
        "PYTHONUNBUFFERED": "1",
    })
    return environment


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_two_hosts_behind_haproxy_share_sessions_throttling_feeds_and_mail(database, tmp_path, capsys):
    assert HAPROXY, "HAProxy is not installed (Debian: apt install haproxy; .ci/run installs it)"
    tag = uuid.uuid4().hex[:8]
    seeded = seed(database, tag)
    smtp = RecordingHandler()
    controller = Controller(smtp, hostname="127.0.0.1", port=free_port())
    controller.start()
    port_a, port_b, front = free_port(), free_port(), free_port()
    secret = "one-secret-for-every-host-" + uuid.uuid4().hex
    hosts = {}
    for name, port in (("a", port_a), ("b", port_b)):
        instance = tmp_path / f"instance-{name}"
        instance.mkdir()
        hosts[name] = host_environment(database, instance, port, front, controller.port, secret)
    processes: list[subprocess.Popen] = []
    try:
        for name in hosts:
            processes.append(subprocess.Popen([str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                                              cwd=ROOT, env=hosts[name], stdout=subprocess.DEVNULL))
        # One worker per host (`flask mail send --loop`: jobs, then the outbox), started now to be ready.
        workers = [subprocess.Popen([str(FLASK), "--app", "wsgi", "mail", "send", "--loop", "--interval", "0.3"],
                                    cwd=ROOT, env=hosts[name], stdout=subprocess.PIPE, text=True)
                   for name in hosts]
        processes.extend(workers)
        config = tmp_path / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(front=front, port_a=port_a, port_b=port_b))
        processes.append(subprocess.Popen([HAPROXY, "-f", str(config), "-db"], stdout=subprocess.DEVNULL))
        base, a, b = f"http://127.0.0.1:{front}", f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        for url in (a, b):
            wait_for(f"{url}/account/login", processes)
        wait_for(f"{base}/account/login", processes)
        served: Counter = Counter()

        # A session made on one host works on the other: the CSRF token and the session cookie are
        # signed with the one SECRET_KEY, and requests alternate between the hosts.
        learner = Browser(served)
        status, _page, headers = learner.post_form(f"{base}/account/login",
                                               {"email": seeded["learner"], "password": PASSWORD},
                                               token_from=f"{base}/account/login")
        assert status == 302, (status, _page[:3000])
        assert headers["Location"].endswith("/dashboard")
        before = dict(served)
        pages = [learner.request(f"{base}/dashboard") for _ in range(6)]
        assert all(status == 200 and "Amina Learner" in page for status, page, _ in pages)
        dashboards = {host: served[host] - before.get(host, 0) for host in served}
        assert set(dashboards) == {"host_a", "host_b"}, dashboards

        # Throttling counts in Redis: four wrong passwords spread over both hosts use up the account's
        # allowance (4 per 10 minutes), and the fifth attempt is refused whichever host gets it.
        stranger = Browser(served)
        attempts = [stranger.post_form(f"{base}/account/login",
                                       {"email": f"guess-{tag}@example.org", "password": "wrong-password"},
                                       token_from=f"{base}/account/login")[0] for _ in range(5)]
        assert attempts == [200, 200, 200, 200, 429]

        # Feed caches stay coherent: host B served (and cached) the feed; the activity is cancelled
        # through host A; host B's next answer has the change.
        feed = f"/activities/{seeded['activity_id']}.ics"
        status, first, first_headers = Browser(served).request(f"{b}{feed}")
        assert status == 200 and "STATUS:CONFIRMED" in first
        trainer = Browser(served)
        assert trainer.post_form(f"{base}/account/login", {"email": seeded["trainer"], "password": PASSWORD},
                                 token_from=f"{base}/account/login")[0] == 302
        cancel = f"/manage/activities/{seeded['activity_id']}/cancel"
        assert trainer.post_form(f"{a}{cancel}", {}, token_from=f"{a}{cancel}")[0] == 302
        status, after, _ = Browser(served).request(f"{b}{feed}", headers={"If-None-Match": first_headers["ETag"]})
        assert status == 200 and "STATUS:CANCELLED" in after and "STATUS:CONFIRMED" not in after

        # The cancellation queued one job; the worker on each host expands it and sends the outbox.
        engine = create_engine(database)
        deadline = time.monotonic() + 60
        with engine.connect() as connection:
            while time.monotonic() < deadline:
                pending_jobs = connection.scalar(select(func.count(Job.id)).where(Job.state != JobState.DONE))
                unsent = connection.scalar(select(func.count(OutboxMessage.id))
                                           .where(OutboxMessage.status != OutboxStatus.SENT))
                connection.rollback()
                if pending_jobs == 0 and unsent == 0:
                    break
                time.sleep(0.3)
        engine.dispose()
        for worker in workers:
            stop(worker, signal.SIGINT)
        sent_by_worker = []
        for worker in workers:
            with worker.stdout:
                sent_by_worker.append(sum(int(n) for n in re.findall(r"^sent (\d+)", worker.stdout.read(), re.M)))
        cancelled = [message["To"] for message in smtp.received if str(message["Subject"]).startswith("Cancelled:")]
        per_person = Counter(cancelled)
        duplicates = sum(count - 1 for count in per_person.values())
        with capsys.disabled():
            print(f"\ntwo hosts: requests served {dict(sorted(served.items()))}; "
                  f"mails delivered {len(cancelled)} to {len(per_person)} people "
                  f"(sent by the worker of host A {sent_by_worker[0]}, of host B {sent_by_worker[1]}), "
                  f"duplicates {duplicates}")
        assert sorted(per_person) == sorted(f"member{n}-{tag}@example.org" for n in range(PARTICIPANTS))
        assert duplicates == 0
        assert sum(sent_by_worker) == len(smtp.received) == PARTICIPANTS
    finally:
        for process in reversed(processes):
            stop(process, signal.SIGQUIT if process.args[0] == str(GUNICORN) else signal.SIGTERM)
            if process.stdout:
                process.stdout.close()
        controller.stop()
