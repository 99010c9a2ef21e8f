"""Logs never hold passwords, cookies, tokens, political sides or genders.

The journeys go through real servers (werkzeug's, as `make run` serves, and gunicorn's, as
production does) so that their access logs, which write every path, are what is checked.
"""
from __future__ import annotations

import http.cookiejar
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from elearn.extensions import db
from elearn.feeds import services as feed_services
from elearn.logs import REDACTED
from elearn.notifications.models import OptionalMail
from elearn.notifications.services import unsubscribe_token
from elearn.people import services as account_services
from elearn.people.models import TokenPurpose
from tests import factories
from tests.people import form_on

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "a brand new passphrase for the logs"
RESET_PASSWORD = "the passphrase set by a reset link"


class Visitor:
    """A browser without JavaScript: cookies, redirects, and forms re-posted as they are on the page."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, data=body, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def submit(self, path: str, changes: dict, action: str | None = None) -> tuple[int, str]:
        status, page = self.open(path)
        assert status == 200, f"{path} answered {status}"
        values = form_on(page, action)
        values.update({name: [value] for name, value in changes.items()})
        return self.open(action or path, values)

    def cookie_values(self) -> list[str]:
        return [cookie.value for cookie in self.cookies]


def journeys(base_url: str, people) -> dict[str, list[str]]:
    """Sign in, change and reset passwords, use every secret link, read and change a political side.

    Returns the secrets that were used, by kind, for the caller to look for in its logs.
    """
    learner, admin = people["learner"], people["admin"]
    secrets = {"password": [factories.PASSWORD, NEW_PASSWORD, RESET_PASSWORD, "a wrong guess at it"],
               "cookie": [], "token": [], "personal": ["opposition", "Opposition", "woman", "Woman"]}

    intruder = Visitor(base_url)
    assert intruder.submit("/account/login", {"email": learner.email, "password": "a wrong guess at it"})[0] == 200

    member = Visitor(base_url)
    status, _ = member.submit("/account/login", {"email": learner.email, "password": factories.PASSWORD,
                                                 "remember": "y"})
    assert status == 200
    feed = feed_services.issue_token(learner)
    db.session.commit()
    assert member.open(f"/feeds/{feed}.ics")[0] == 200
    assert member.open(f"/feeds/{feed[:-4]}nope.ics")[0] == 404
    status, page = member.submit("/account/password", {"current": factories.PASSWORD, "password": NEW_PASSWORD,
                                                       "confirm": NEW_PASSWORD})
    assert status == 200 and "Your password is changed" in page
    secrets["cookie"] += member.cookie_values()

    reset = account_services.issue_token(learner, TokenPurpose.PASSWORD_RESET)
    invitation = account_services.issue_token(people["trainer"], TokenPurpose.INVITATION)
    unsubscribe = unsubscribe_token(learner.id, OptionalMail.DIGEST)
    db.session.commit()
    stranger = Visitor(base_url)
    assert stranger.submit(f"/account/reset/{reset}", {"password": RESET_PASSWORD, "confirm": RESET_PASSWORD})[0] == 200
    assert stranger.open(f"/account/invitation/{invitation}")[0] == 200
    assert stranger.open(f"/account/notifications/unsubscribe/{unsubscribe}")[0] == 200
    unsubscribe_path = f"/account/notifications/unsubscribe/{unsubscribe}"
    assert stranger.submit(unsubscribe_path, {}, action=unsubscribe_path)[0] == 200
    secrets["token"] += [feed, reset, invitation, unsubscribe]

    office = Visitor(base_url)
    assert office.submit("/account/login", {"email": admin.email, "password": factories.PASSWORD})[0] == 200
    status, _ = office.submit(f"/admin/people/{learner.id}", {"kind": "mp", "political_side": "opposition",
                                                              "gender": "woman"})
    assert status == 200
    db.session.refresh(learner)
    assert (learner.political_side, learner.gender) == ("opposition", "woman")  # saved; the logs must not say so
    assert office.open(f"/admin/people/{learner.id}")[0] == 200
    secrets["cookie"] += office.cookie_values()
    return secrets


def assert_no_secrets(log: str, secrets: dict[str, list[str]]) -> None:
    for kind, values in secrets.items():
        for value in values:
            if kind == "personal":
                assert not re.search(rf"\b{value}\b", log), f"a {kind} value ({value!r}) is in the log"
            else:
                assert value not in log, f"a {kind} is in the log"


def test_the_development_server_logs_paths_without_secrets(live_server, people, caplog):
    caplog.set_level(logging.DEBUG)

    secrets = journeys(live_server, people)

    # werkzeug colours some lines for a terminal.
    log = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(record.getMessage() for record in caplog.records))
    assert f'"GET /feeds/{REDACTED}.ics HTTP/1.1" 200' in log
    assert f'"GET /feeds/{REDACTED}.ics HTTP/1.1" 404' in log
    assert f'"POST /account/reset/{REDACTED} HTTP/1.1" 302' in log
    assert f'"GET /account/invitation/{REDACTED} HTTP/1.1" 200' in log
    assert f'"POST /account/notifications/unsubscribe/{REDACTED} HTTP/1.1"' in log
    assert '"POST /account/password HTTP/1.1" 302' in log  # the lines are there, just redacted
    assert_no_secrets(log, secrets)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(app, database_url, tmp_path):
    """gunicorn with two workers on this test's database, its access and error logs in files."""
    port = free_port()
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": app.config["SECRET_KEY"],
                   "SESSION_COOKIE_SECURE": "false", "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
                   "SITE_URL": "http://hemicycle.test", "MAIL_SERVER": "", "RATELIMIT_STORAGE_URI": "memory://",
                   "HEMICYCLE_INSTANCE_PATH": str(tmp_path / "instance")}
    db.session.commit()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(access_log), "--error-logfile", str(error_log), "--log-level", "debug",
         "wsgi:app"], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, error_log.read_text()
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}", access_log, error_log
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def test_gunicorn_access_and_error_logs_hold_no_secrets(gunicorn, people):
    base_url, access_log, error_log = gunicorn

    secrets = journeys(base_url, people)

    time.sleep(0.5)  # gunicorn writes its access lines after each response
    access = access_log.read_text()
    assert re.search(rf'"GET /feeds/{re.escape(REDACTED)}\.ics HTTP/1\.1" 200', access)
    assert re.search(rf'"POST /account/reset/{re.escape(REDACTED)} HTTP/1\.1" 302', access)
    assert_no_secrets(access + error_log.read_text(), secrets)
