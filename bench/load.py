"""Bounded load: mixed learner pages against a trivial route of the same app, under gunicorn.

    .venv/bin/python bench/load.py                          # a scratch SQLite site with the demo data
    .venv/bin/python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/big \\
        --email mp@example.org --password demo-learner-2026

Starts gunicorn (4 workers by default) on a free loopback port over the given database, signs
in `--users` browsers as one learner, and has each of them walk the learner's pages (dashboard,
activities, an activity, the month, my schedule, my learning, the catalogue, a course, the
calendar page) in a loop for `--seconds`; then the same number of clients ask for `/healthz`,
which touches neither the database nor the session. Prints requests per second, p50/p95 per page
and the ratio trivial/mixed: how much of the server's capacity the pages' own work takes.
Only 127.0.0.1 is ever contacted.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

LEARNER_PAGES = ["/dashboard", "/activities", "/activities/month", "/my/schedule", "/my-learning", "/courses",
                 "/calendar"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demo_site(folder: Path) -> str:
    from elearn import create_app
    from elearn.extensions import db

    url = f"sqlite:///{folder / 'demo.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 32, "TESTING": True})
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["demo", "seed"])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    return url


def start_gunicorn(database_url: str, workers: int, folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "b" * 32,
                   "HEMICYCLE_INSTANCE_PATH": str(folder / "instance"), "SESSION_COOKIE_SECURE": "false",
                   "LOGIN_LIMIT_PER_IP": "10000 per minute", "LOGIN_LIMIT_PER_ACCOUNT": "10000 per minute"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "120", "wsgi:app"], cwd=PROJECT, env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
            return process, base
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


def signed_in_opener(base: str, email: str, password: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(f"{base}/account/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    landing = opener.open(f"{base}/account/login", data=body, timeout=30)
    if landing.geturl().endswith("/account/login"):
        raise SystemExit(f"could not sign in as {email}")
    return opener


def discover(opener, base: str) -> list[str]:
    """Add one activity and one course page to the walk, taken from the lists themselves."""
    pages = list(LEARNER_PAGES)
    for listing, pattern in (("/activities", r'href="(/activities/\d+)"'), ("/courses", r'href="(/courses/[a-z0-9-]+)"')):
        found = re.search(pattern, opener.open(base + listing, timeout=60).read().decode())
        if found:
            pages.append(found.group(1))
    return pages


def hammer(openers, base: str, pages: list[str], seconds: float) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def walk(opener, offset: int):
        index = offset
        while time.monotonic() < stop_at:
            page = pages[index % len(pages)]
            index += 1
            started = time.perf_counter()
            try:
                opener.open(base + page, timeout=60).read()
            except Exception as error:  # noqa: BLE001 - a bench counts failures, it does not stop on them
                with lock:
                    failures.append(f"{page}: {error}")
                continue
            with lock:
                timings[page].append(time.perf_counter() - started)

    threads = [threading.Thread(target=walk, args=(opener, i)) for i, opener in enumerate(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        print(f"  {len(failures)} failed requests, e.g. {failures[0]}")
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="an existing site's database (default: a scratch demo site)")
    parser.add_argument("--email", default="mp@example.org")
    parser.add_argument("--password", default="demo-learner-2026")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        database_url = options.database_url or demo_site(folder)
        process, base = start_gunicorn(database_url, options.workers, folder)
        try:
            openers = [signed_in_opener(base, options.email, options.password) for _ in range(options.users)]
            pages = discover(openers[0], base)
            hammer(openers, base, pages, 3)  # warm every worker's caches and connections
            mixed = hammer(openers, base, pages, options.seconds)
            trivial = hammer(openers, base, ["/healthz"], options.seconds)
        finally:
            process.terminate()
            process.wait(timeout=30)

    mixed_count = sum(len(v) for v in mixed.values())
    trivial_count = sum(len(v) for v in trivial.values())
    mixed_rate, trivial_rate = mixed_count / options.seconds, trivial_count / options.seconds
    print(f"{options.users} users, gunicorn {options.workers} workers, {options.seconds:.0f} s each, "
          f"database {'given' if options.database_url else 'scratch demo (SQLite)'}")
    print(f"{'page':32} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for page, values in sorted(mixed.items()):
        print(f"{page:32} {len(values):9d} {statistics.median(values) * 1000:8.1f} {percentile(values, .95) * 1000:8.1f}")
    print(f"mixed learner pages: {mixed_rate:.1f} requests/s")
    print(f"trivial route /healthz: {trivial_rate:.1f} requests/s")
    print(f"ratio trivial/mixed: {trivial_rate / mixed_rate:.1f}x")


if __name__ == "__main__":
    main()
