"""Hostile values in every route's path and query never give a 500, on SQLite and on PostgreSQL.

Every rule of the URL map is visited as every role, its converters and the query arguments the app
reads given values chosen to break things: numbers past the 32-bit ids of PostgreSQL and the 64-bit
integers of SQLite, negatives, digits from other scripts, line breaks, NUL bytes, long and unicode
text. First a fixed sweep (each rule, role and kind of value at least once), then hypothesis mixes
them. An out-of-range id is a 404, an out-of-range filter is ignored, a bad `next` goes to the dashboard.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from elearn.admin.audit_log import AuditFilterForm
from elearn.reports.forms import ReportForm
from tests import factories
from tests.helpers import csrf_token, post_form, sign_in
from tests.test_access import MATRIX, ROLES, _api_resource, sample_objects  # noqa: F401 - sample_objects is a fixture

ELEARN = Path(__file__).resolve().parents[2] / "elearn"
CONVERTER_RE = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")

HUGE_NUMBERS = ["2147483648", "9223372036854775808", "99999999999999999999", "1" * 400, "-1", "-2147483649", "0"]
HOSTILE_TEXT = ["\r\nX-Injected: 1", "/%0D%0AX-Injected:%201", "a\x00b", "%00", "\u0663\u0663", "\u00b2",
                "1e9", " 7 ", "é" * 300, "\U0001f4a5", "x" * 5000, "'\"<>;--", "%", "_", "..%2F..%2Fetc",
                "//evil.example", "null"]
HOSTILE = HUGE_NUMBERS + HOSTILE_TEXT


def query_names() -> list[str]:
    """Every query argument the app reads (found in its source) and the fields of its GET search forms."""
    names = {"page", "per_page"}
    for source in ELEARN.rglob("*.py"):
        code = source.read_text()
        names |= set(re.findall(r"args\.get(?:list)?\(\s*\"(\w+)\"", code))
        names |= set(re.findall(r"\b(?:int_arg\(|ints?_from\(\s*\w+,)\s*\"(\w+)\"", code))
    for form in (ReportForm, AuditFilterForm):
        names |= {name for name, value in vars(form).items() if isinstance(value, UnboundField)}
    return sorted(names)


def with_values(rule, values: dict[str, str]) -> str:
    """The rule's path with each converter replaced by its (percent-encoded) value."""
    return CONVERTER_RE.sub(lambda match: quote(values[match.group(1)], safe=""), rule.rule)


def real_values(app, rule, objects) -> dict[str, str]:
    """The rule's arguments as the access matrix fills them (objects that exist), as path text."""
    _rule, _method, arguments, _overrides = MATRIX[rule.endpoint]
    values = {name: objects.get(value, value) for name, value in arguments.items()}
    with app.test_request_context():
        built = url_for(rule.endpoint, **values)
    return {name: str(value) for name, value in values.items()} if built else {}


@pytest.fixture
def clients(app, people, sample_objects):  # noqa: F811
    made = {"anonymous": app.test_client()}
    for role in ROLES[1:]:
        made[role] = app.test_client()
        assert sign_in(made[role], people[role].email, factories.PASSWORD).status_code == 302
    return made


def rules(app, method: str) -> list:
    """The site's routes; JSON API resources are left to their own fuzzer (tests/api/test_fuzz.py: schemathesis,
    every operation with random values), which knows their parameters and their documented answers."""
    return sorted((rule for rule in app.url_map.iter_rules()
                   if method in rule.methods and rule.endpoint != "static" and not _api_resource(app, rule.endpoint)),
                  key=lambda rule: rule.rule)


def check(client, method: str, url: str, role: str, token: str | None = None) -> None:
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": token})
    assert response.status_code < 500, f"{method} {url[:300]!r} as {role}: {response.status_code}"


def test_out_of_range_numbers_found_by_the_attack_are_404s_or_ignored(app, clients, sample_objects):  # noqa: F811
    anonymous, admin = clients["anonymous"], clients["admin"]
    assert anonymous.get("/activities/2147483648").status_code == 404
    assert anonymous.get("/activities/99999999999999999999.ics").status_code == 404
    listing = anonymous.get("/activities?parliament=2147483648&page=99999999999999999999")
    assert listing.status_code == 200 and "<h1" in listing.get_data(as_text=True)
    for path in ("/admin/people", "/cooperation/requests", "/cooperation/follow-up", "/admin/audit/"):
        response = admin.get(f"{path}?parliament=2147483648&page=99999999999999999999&object_id=2147483648")
        assert response.status_code == 200, path
    # A known id still works, a number with a sign or other digits names nothing.
    assert anonymous.get(f"/activities/{sample_objects['activity']}").status_code == 200
    assert anonymous.get("/activities?parliament=%D9%A3").status_code == 200


def test_a_next_with_a_line_break_goes_to_the_dashboard_after_a_good_sign_in(app, people):
    client = app.test_client()
    response = post_form(client, "/account/login?next=/%0D%0AX-Injected:%201",
                         {"email": people["learner"].email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert "X-Injected" not in response.headers
    # A same-site path is still where one lands.
    other = app.test_client()
    response = post_form(other, "/account/login?next=/my/schedule",
                         {"email": people["learner"].email, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/my/schedule"


def test_every_route_survives_a_sweep_of_hostile_values(app, clients, sample_objects):  # noqa: F811
    names = query_names()
    assert {"page", "parliament", "next", "year", "object_id", "parliament_id"} <= set(names)
    visited = 0
    for number, rule in enumerate(rules(app, "GET")):
        real = real_values(app, rule, sample_objects)
        for offset, role in enumerate(ROLES):
            # Each rule as each role, each query argument with another value each time (every value on every rule).
            value = HOSTILE[(number + offset) % len(HOSTILE)]
            text_value = HOSTILE_TEXT[(number * len(ROLES) + offset) % len(HOSTILE_TEXT)]
            query = "?" + urlencode({name: HOSTILE[(number + offset + index) % len(HOSTILE)]
                                     for index, name in enumerate(names)})
            check(clients[role], "GET", with_values(rule, real) + query, role)
            if rule.arguments:  # a number as some roles, text as the others
                path_value = value if offset % 2 else text_value
                check(clients[role], "GET", with_values(rule, dict.fromkeys(rule.arguments, path_value)), role)
            visited += 1
    assert visited >= 60 * len(ROLES)
    # Forms posted to a hostile object (with a good CSRF token, as the role that may post most): never an error.
    token = csrf_token(clients["admin"], "/account/forgot")
    for rule in rules(app, "POST"):
        if rule.arguments:
            for value in ("2147483648", "99999999999999999999", "\r\nX-Injected: 1", "\u0663"):
                check(clients["admin"], "POST", with_values(rule, dict.fromkeys(rule.arguments, value)), "admin", token)


VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_mix_of_hostile_values_gives_a_500(app, clients, sample_objects, data):  # noqa: F811
    rule = data.draw(st.sampled_from(rules(app, "GET")), label="rule")
    role = data.draw(st.sampled_from(ROLES), label="role")
    real = real_values(app, rule, sample_objects)
    path_values = {name: data.draw(st.one_of(st.just(real.get(name, "1")), VALUES), label=name)
                   for name in rule.arguments}
    names = data.draw(st.lists(st.sampled_from(query_names()), max_size=6, unique=True), label="query")
    query = {name: data.draw(VALUES, label=name) for name in names}
    path = with_values(rule, path_values)
    if not path.startswith("/"):
        return
    check(clients[role], "GET", path + ("?" + urlencode(query) if query else ""), role)


def test_a_nul_byte_in_the_path_or_the_query_is_a_bad_request(clients):
    for url in ("/activities?q=a%00b", "/activities?topic=x&topic=%00", "/activities?%00=1",
                "/courses/a%00b", "/programmes/a%00b/calendar.ics"):
        response = clients["learner"].get(url)
        assert response.status_code == 400, url
        assert "<h1" in response.get_data(as_text=True)
