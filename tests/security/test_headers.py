"""Caching and transport headers: personal data is never kept by a cache, and production asks for https only.

Every route of the URL map is visited (its arguments filled as the access matrix fills them) signed in
as each role and anonymously; the JSON API's resources are not in that matrix (tests/api/test_api_access.py
is theirs) and cache per caller, as tests/api/test_cache.py checks. Exports (CSV, XLSX, PDF: every rule that ends so, found from the URL map),
and every response to a signed-in person, carry `Cache-Control: no-store`; static files, calendar feeds
and course images keep their own caching.
"""
from __future__ import annotations

import pytest
from flask import url_for

from elearn import create_app
from elearn.extensions import db
from tests import factories
from tests.helpers import sign_in
from tests.test_access import MATRIX, ROLES, _api_resource, sample_objects  # noqa: F401 - sample_objects is a fixture

EXPORT_SUFFIXES = (".csv", ".xlsx", ".pdf")


def get_urls(app, objects) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if _api_resource(app, rule.endpoint):  # JSON API: its caching per caller is tests/api/test_cache.py's
            continue
        _rule, _method, arguments, _overrides = MATRIX[rule.endpoint]
        with app.test_request_context():
            urls.append((rule.endpoint, url_for(rule.endpoint, **{name: objects.get(value, value)
                                                                   for name, value in arguments.items()})))
    return sorted(urls)


@pytest.fixture
def clients(app, people, sample_objects):  # noqa: F811
    made = {"anonymous": app.test_client()}
    for role in ROLES[1:]:
        made[role] = app.test_client()
        assert sign_in(made[role], people[role].email, factories.PASSWORD).status_code == 302
    return made


def test_every_export_is_no_store_for_whoever_may_read_it(app, clients, sample_objects):  # noqa: F811
    exports = [(endpoint, url) for endpoint, url in get_urls(app, sample_objects) if url.endswith(EXPORT_SUFFIXES)]
    assert {url.rsplit(".", 1)[1] for _endpoint, url in exports} == {"csv", "xlsx", "pdf"}
    assert len(exports) >= 6
    served = 0
    for endpoint, url in exports:
        for role, client in clients.items():
            response = client.get(url)
            if response.status_code != 200:
                continue
            served += 1
            assert response.headers["Content-Disposition"].startswith("attachment"), (url, role)
            assert response.headers.get("Cache-Control") == "no-store", (endpoint, role, response.headers)
    assert served >= len(exports)  # each export was served to someone allowed to read it


def test_every_page_seen_signed_in_is_no_store(app, clients, sample_objects):  # noqa: F811
    # The service workers (course pages, check-in) hold no personal data: `no-cache`, so browsers revalidate them.
    kept = {"feeds.activity_ics", "feeds.programme_ics", "feeds.course_ics", "feeds.calendar_ics",
            "feeds.personal_ics", "learning.asset", "learning_offline.service_worker", "check_in.service_worker"}
    checked = 0
    for endpoint, url in get_urls(app, sample_objects):
        for role in ("learner", "admin"):
            response = clients[role].get(url)
            if endpoint in kept:  # feeds are fetched by calendar apps, without a session
                if response.status_code == 200:
                    assert response.headers["Cache-Control"] != "no-store", url
                continue
            assert response.headers.get("Cache-Control") == "no-store", (url, role, response.status_code)
            checked += 1
    assert checked >= 100


def test_static_files_public_feeds_and_course_images_keep_their_caching(app, clients, sample_objects):  # noqa: F811
    with app.test_request_context():
        asset = url_for("learning.asset", slug=sample_objects["course"], path=sample_objects["asset"])
    for client in (clients["anonymous"], clients["learner"]):
        assert "no-store" not in client.get("/static/css/site.css").headers.get("Cache-Control", "")
        assert client.get("/calendar.ics").headers["Cache-Control"] == "public, max-age=900"
        assert client.get(asset).headers["Cache-Control"].startswith("public, max-age=")


# HSTS ---------------------------------------------------------------------------------

@pytest.fixture
def production(monkeypatch, tmp_path):
    """The app as a deployment starts it: settings from the environment, not in testing mode."""
    monkeypatch.setenv("HEMICYCLE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-of-decent-length")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("SITE_URL", "https://hemicycle.example.org")

    def start():
        app = create_app()
        with app.app_context():
            db.create_all()
        return app.test_client()

    return monkeypatch, start


def test_production_on_https_sends_hsts_for_a_year(production):
    _env, start = production
    client = start()
    for path in ("/", "/account/login", "/static/css/site.css", "/no-such-page"):
        assert client.get(path).headers["Strict-Transport-Security"] == "max-age=31536000", path


def test_hsts_is_configurable(production):
    env, start = production
    env.setenv("HSTS_SECONDS", "600")
    env.setenv("HSTS_INCLUDE_SUBDOMAINS", "yes")
    assert start().get("/").headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains"
    env.setenv("HSTS_SECONDS", "0")
    assert "Strict-Transport-Security" not in start().get("/").headers


def test_no_hsts_on_http_sites_or_in_tests(production, client):
    env, start = production
    env.setenv("SITE_URL", "http://127.0.0.1:5000")
    assert "Strict-Transport-Security" not in start().get("/").headers
    assert "Strict-Transport-Security" not in client.get("/").headers  # testing mode


def test_a_bad_hsts_value_stops_start_up(production):
    env, start = production
    env.setenv("HSTS_SECONDS", "-5")
    with pytest.raises(Exception, match="HSTS_SECONDS"):
        start()
