"""Every state-changing route needs a CSRF token; no GET route changes anything."""
import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from elearn.extensions import db
from tests.test_access import MATRIX, sample_objects  # noqa: F401  (the fixture)

# Written on reads by design: the audit log records who read what, the feed cache keeps renders.
WRITTEN_ON_READ = {"audit_event", "feed_cache"}
# RFC 8058 one-click unsubscribe is posted by mail clients, which cannot carry a CSRF token.
CSRF_EXEMPT = {"notifications.unsubscribe"}


def table_counts() -> dict[str, int]:
    db.session.expire_all()
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name not in WRITTEN_ON_READ}


def table_rows() -> dict[str, list]:
    """Every row's content, so that an update on a read is caught as well as an insert."""
    db.session.commit()  # a fresh read transaction sees what the requests wrote
    return {table.name: sorted(map(tuple, db.session.execute(table.select()).all()), key=repr)
            for table in db.metadata.sorted_tables if table.name not in WRITTEN_ON_READ}


def url(app, endpoint, arguments, objects):
    with app.test_request_context():
        return url_for(endpoint, **{name: objects.get(value, value) for name, value in arguments.items()})


def test_every_post_route_refuses_a_missing_csrf_token(app, login_as, sample_objects):  # noqa: F811
    client = login_as("admin")
    before = table_counts()
    accepted = []
    for endpoint, (_rule, method, arguments, _overrides) in MATRIX.items():
        if method != "POST" or endpoint in CSRF_EXEMPT or endpoint == "accounts.logout":
            continue
        response = client.post(url(app, endpoint, arguments, sample_objects), data={})
        if response.status_code != 400:
            accepted.append(f"{endpoint}: {response.status_code}")
    assert not accepted, accepted
    assert table_counts() == before


# GET routes that change one table on purpose, with why; every other table must stay as it was.
COUNTED_ON_GET = {"library.download": ("library_resource", "opening a library resource counts the download"),
                  # A seat confirmed before tickets existed (the sample's) gets its ticket when one is first shown.
                  **{endpoint: ("ticket", "onsite: the missing ticket of a confirmed seat is issued when shown")
                     for endpoint in ("tickets.ticket", "tickets.activity_tickets", "badges.badges_pdf",
                                      "scheduling.activity")}}


def test_every_get_route_leaves_the_database_unchanged(app, login_as, sample_objects):  # noqa: F811
    changed = []
    for role in ("learner", "focal_point", "trainer", "admin"):
        client = login_as(role)
        for endpoint, (_rule, method, arguments, _overrides) in MATRIX.items():
            if method != "GET":
                continue
            before = table_rows()
            client.get(url(app, endpoint, arguments, sample_objects))
            after = table_rows()
            counted_table = COUNTED_ON_GET.get(endpoint, ("",))[0]
            differing = [name for name in before if before[name] != after[name] and name != counted_table]
            if differing:
                changed.append(f"{role} GET {endpoint}: " + ", ".join(differing))
    assert not changed, changed


def test_signed_in_pages_are_not_stored_by_caches(login_as, client):
    assert login_as("learner").get("/dashboard").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/activities").headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/account/login", "/account/forgot", "/activities", "/courses"])
def test_no_token_ever_appears_in_a_url(client, path):
    page = client.get(path).get_data(as_text=True)
    assert "csrf_token=" not in page


URL_ATTRIBUTE = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


@pytest.mark.parametrize("role", ["learner", "focal_point", "trainer", "admin"])
def test_no_signed_in_page_puts_a_token_or_the_session_in_a_link(app, login_as, sample_objects, role):  # noqa: F811
    client = login_as(role)
    session_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    with client.session_transaction() as session:
        csrf_secret = session.get("csrf_token", "")
    leaks = []
    for endpoint, (_rule, method, arguments, _overrides) in MATRIX.items():
        if method != "GET" or endpoint == "feeds.subscriptions":  # that page shows the calendar address on purpose
            continue
        response = client.get(url(app, endpoint, arguments, sample_objects))
        if response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        for link in URL_ATTRIBUTE.findall(page):
            if "csrf_token" in link or session_cookie in link or (csrf_secret and csrf_secret in link):
                leaks.append(f"{endpoint}: {link}")
    assert not leaks, leaks
