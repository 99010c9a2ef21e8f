"""Every page each role can open, on the demo data ("tiny") and on the scale seed ("big"), side by side.

    .venv/bin/python bench/scale_seed.py --scale 0 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/hemicycle_tiny
    .venv/bin/python bench/scale_seed.py --scale 1 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/hemicycle_big
    .venv/bin/python bench/pages.py --rounds 5                       # every page
    .venv/bin/python bench/pages.py --rounds 3 --skip reports        # without the participation report
    .venv/bin/python bench/pages.py --only nominate,roster --roles focal,trainer --rounds 3

How it measures:
- statements and body size: the Flask test client, in-process, one request per page with
  tests.helpers.count_queries-style counting (SQL statements sent to the database);
- timings and memory: two gunicorn servers on loopback (one sync worker each, one on each
  database), signed in through the real login form; each round requests the page from tiny then
  from big; p50/p95 over the rounds (after one warm-up request). "peak MB" is the big worker's
  resident high-water mark (VmHWM) after the page's requests: it only grows, so a page that
  raises it is the page that needed the memory.

The routes are app.url_map's GET rules, their arguments filled with real ids: the activity with the
most registrations, its first session, the role's own registration, parliament, course…; routes that
need a secret token, and redirects or refusals for a role, are listed as skipped.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Plain http on loopback: cookies without the Secure flag (create_app reads this from the environment).
os.environ["SESSION_COOKIE_SECURE"] = "false"

from sqlalchemy import event, func, select  # noqa: E402

from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402

ROLES = {"anonymous": None, "learner": "mp@example.org", "focal": "focal@example.org",
         "trainer": "trainer@example.org", "admin": "admin@example.org"}
PASSWORDS = {"mp@example.org": "demo-learner-2026", "focal@example.org": "demo-focal-2026",
             "trainer@example.org": "demo-trainer-2026", "admin@example.org": "demo-admin-2026"}
# Short names for --only, on top of the endpoint's own name.
ALIASES = {"scheduling.nominate": "nominate", "scheduling_admin.overview": "roster",
           "scheduling_admin.attendance": "attendance", "scheduling_admin.sign_in_sheet": "sign-in",
           "scheduling.my_schedule": "schedule", "cooperation.parliament": "parliament",
           "people_admin.people": "people", "scheduling_admin.export_csv": "csv",
           "scheduling_admin.export_xlsx": "xlsx"}
NOT_MEASURED = {"static", "learning.asset"}
CONFIG = {"SECRET_KEY": "bench-pages-not-a-secret-0123456789", "MAIL_SERVER": "", "RATELIMIT_STORAGE_URI": "memory://",
          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "LOGIN_LIMIT_PER_IP": "1000/minute",
          "LOGIN_LIMIT_PER_ACCOUNT": "1000/minute", "SESSION_COOKIE_SECURE": "false"}
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
EXTRA_PAGES = [  # pages whose query string matters at scale: (endpoint label, path, roles)
    ("people_admin.people page 2000", "/admin/people?page=2000", ("admin",)),
    ("people_admin.people search", "/admin/people?q=jallow", ("admin",)),
]


@dataclass
class Page:
    role: str
    label: str
    path: dict = field(default_factory=dict)  # database name -> path
    statements: dict = field(default_factory=dict)
    size: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    peak_mb: float = 0.0
    status: dict = field(default_factory=dict)


def first(statement):
    return db.session.scalar(statement.limit(1))


def argument_values(person) -> dict:
    """Real ids for each route argument, the role's own where it matters."""
    from elearn.cooperation.models import ActionPlan, NeedsRequest, Review
    from elearn.learning.models import Certificate, Course, Enrolment, Lesson, QuizAttempt
    from elearn.people.models import Person
    from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus, Programme, Registration

    focal = db.session.scalar(select(Person).where(Person.email == ROLES["focal"]))
    own_parliament = person.parliament_id if person and person.parliament_id else focal.parliament_id
    busiest = first(select(Activity.id).join(Registration).where(Activity.status == ActivityStatus.PUBLISHED)
                    .group_by(Activity.id).order_by(func.count(Registration.id).desc(), Activity.id))
    registration = first(select(Registration.id).where(Registration.person_id == person.id)) if person else None
    course = first(select(Course).join(Enrolment).where(Enrolment.person_id == person.id)) if person else None
    course = course or first(select(Course).order_by(Course.id))
    plan = first(select(ActionPlan.id).where(ActionPlan.parliament_id == own_parliament)) or first(select(ActionPlan.id))
    learner = db.session.scalar(select(Person).where(Person.email == ROLES["learner"]))
    return {
        "activity_id": busiest,
        "session_id": first(select(ActivitySession.id).where(ActivitySession.activity_id == busiest)
                            .order_by(ActivitySession.starts_at)),
        "registration_id": registration or first(select(Registration.id).where(Registration.activity_id == busiest)),
        "parliament_id": own_parliament,
        "request_id": first(select(NeedsRequest.id).where(NeedsRequest.parliament_id == own_parliament))
        or first(select(NeedsRequest.id)),
        "plan_id": plan,
        "review_id": first(select(Review.id).where(Review.plan_id == plan)) or first(select(Review.id)),
        "slug": course.slug if course else None,
        "lesson_slug": first(select(Lesson.slug).where(Lesson.course_id == course.id).order_by(Lesson.position))
        if course else None,
        "attempt_id": first(select(QuizAttempt.id).join(Enrolment)
                            .where(Enrolment.person_id == (person.id if person else 0))),
        "code": first(select(Certificate.code)),
        "person_id": learner.id,
        "programme_id": first(select(Programme.id).order_by(Programme.id)),
    }


def urls_for(app, values: dict) -> dict[str, str]:
    from flask import url_for

    found = {}
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in NOT_MEASURED or "token" in rule.arguments:
                continue
            filled = {name: values.get(name) for name in rule.arguments}
            if any(value is None for value in filled.values()):
                continue
            found[rule.endpoint] = url_for(rule.endpoint, **filled)
    return found


def wanted(label: str, only: list[str]) -> bool:
    if not only:
        return True
    names = {label, label.split(" ")[0], ALIASES.get(label.split(" ")[0], "")}
    return any(o in name for o in only for name in names if name)


@contextmanager
def counting(engine):
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


def sign_in_test_client(client, email: str) -> None:
    answer = client.get("/account/login")
    page = answer.get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no sign-in form ({answer.status_code}): {page[:300]}"
    token = match.group(1)
    answer = client.post("/account/login", data={"email": email, "password": PASSWORDS[email], "csrf_token": token})
    assert answer.status_code in (302, 303), f"sign-in of {email} failed"


def statements_and_sizes(name: str, url: str, roles: list[str], only: list[str], skip: list[str],
                         pages: dict) -> None:
    """One request per page through the test client: statements, status and body size."""
    from elearn.people.models import Person

    app = create_app({**CONFIG, "SESSION_COOKIE_SECURE": False, "SQLALCHEMY_DATABASE_URI": url})
    for role in roles:
        email = ROLES[role]
        # Requests run outside this context: inside it they would share its `g`, and so the signed-in user.
        with app.app_context():
            person = db.session.scalar(select(Person).where(Person.email == email)) if email else None
            paths = urls_for(app, argument_values(person))
            paths.update({label: path for label, path, allowed in EXTRA_PAGES if role in allowed})
            engine = db.engine
        client = app.test_client()
        if email:
            sign_in_test_client(client, email)
        for label, path in paths.items():
            if not wanted(label, only) or (skip and wanted(label, skip)):
                continue
            with counting(engine) as counter:
                answer = client.get(path)
                body = answer.get_data()
            page = pages.setdefault((role, label), Page(role, label))
            page.path[name], page.status[name] = path, answer.status_code
            page.statements[name], page.size[name] = counter["n"], len(body)
    engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn, one sync worker, on loopback."""

    def __init__(self, url: str, timeout: int):
        self.port = free_port()
        environment = {**os.environ, **{k: str(v) for k, v in CONFIG.items()}, "DATABASE_URL": url}
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--chdir", str(ROOT), "-w", "1", "-b", f"127.0.0.1:{self.port}",
             "--timeout", str(timeout), "--log-level", "warning", "wsgi:app"],
            env=environment, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/account/login", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not start")

    def worker_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0])

    def peak_mb(self) -> float:
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener_for(server: Server, email: str | None):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    if email:
        page = opener.open(server.base + "/account/login").read().decode()
        data = urllib.parse.urlencode({"email": email, "password": PASSWORDS[email],
                                       "csrf_token": CSRF_RE.search(page).group(1)}).encode()
        try:
            opener.open(server.base + "/account/login", data=data)
        except urllib.error.HTTPError as answer:  # the redirect to the dashboard
            if answer.code not in (302, 303):
                raise
    return opener


def timed_get(opener, url: str) -> float:
    started = time.perf_counter()
    try:
        with opener.open(url, timeout=600) as answer:
            while answer.read(1 << 16):
                pass
    except urllib.error.HTTPError:
        pass
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def measure_timings(servers: dict, roles: list[str], pages: dict, rounds: int) -> None:
    for role in roles:
        openers = {name: opener_for(server, ROLES[role]) for name, server in servers.items()}
        for (page_role, _label), page in pages.items():
            if page_role != role or not set(page.path) >= set(servers):
                continue
            if any(page.status[name] != 200 for name in servers):
                continue
            for name in servers:
                timed_get(openers[name], servers[name].base + page.path[name])  # warm-up
            for _ in range(rounds):
                for name, server in servers.items():
                    page.timings.setdefault(name, []).append(timed_get(openers[name], server.base + page.path[name]))
            page.peak_mb = servers["big"].peak_mb()
            print(f"  {role:9} {page.label:40} tiny {1000 * statistics.median(page.timings['tiny']):8.1f} ms"
                  f"  big {1000 * statistics.median(page.timings['big']):8.1f} ms", flush=True)


def report(pages: dict) -> None:
    print()
    print(f"{'role':9} {'page':42} {'tiny p50/p95 ms':>16} {'big p50/p95 ms':>18} {'p95 ×':>7} "
          f"{'stmts t/b':>10} {'KB t/b':>14} {'peak MB':>8}")
    skipped = []
    for (role, label), page in sorted(pages.items(), key=lambda item: (item[0][1], item[0][0])):
        if set(page.timings) != {"tiny", "big"}:
            skipped.append(f"{role} {label}: status {page.status}")
            continue
        tiny, big = page.timings["tiny"], page.timings["big"]
        t50, t95, b50, b95 = (1000 * percentile(tiny, 0.5), 1000 * percentile(tiny, 0.95),
                              1000 * percentile(big, 0.5), 1000 * percentile(big, 0.95))
        print(f"{role:9} {label[:42]:42} {t50:7.1f}/{t95:7.1f}  {b50:8.1f}/{b95:8.1f} {b95 / t95:7.1f} "
              f"{page.statements['tiny']:4}/{page.statements['big']:<5} "
              f"{page.size['tiny'] / 1024:6.0f}/{page.size['big'] / 1024:<7.0f} {page.peak_mb:8.0f}")
    if skipped:
        print(f"\nnot timed (refused, redirected or missing for a role): {len(skipped)}")
        for line in skipped:
            print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/hemicycle_tiny")
    parser.add_argument("--big-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/hemicycle_big")
    parser.add_argument("--rounds", type=int, default=5, help="timed requests per page and database")
    parser.add_argument("--only", default="", help="comma-separated parts of endpoint names or aliases "
                                                   f"({', '.join(sorted(set(ALIASES.values())))})")
    parser.add_argument("--skip", default="", help="comma-separated parts of endpoint names to leave out "
                                                   "(e.g. reports, whose own bench is another)")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated, among " + ", ".join(ROLES))
    parser.add_argument("--timeout", type=int, default=300, help="gunicorn's worker timeout, seconds")
    arguments = parser.parse_args()
    only = [part for part in arguments.only.split(",") if part]
    skip = [part for part in arguments.skip.split(",") if part]
    roles = [role for role in arguments.roles.split(",") if role]
    urls = {"tiny": arguments.tiny_url, "big": arguments.big_url}
    pages: dict = {}
    for name, url in urls.items():
        statements_and_sizes(name, url, roles, only, skip, pages)
    servers = {name: Server(url, arguments.timeout) for name, url in urls.items()}
    try:
        measure_timings(servers, roles, pages, arguments.rounds)
    finally:
        for server in servers.values():
            server.stop()
    report(pages)


if __name__ == "__main__":
    main()
