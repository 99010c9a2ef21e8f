"""What caches may keep of an API answer, by caller: a browser session's answers are never stored (as the
site's pages), a token's are private to its client and revalidated with their ETag, anonymous public reads
are shared but revalidated. Each names Authorization and Cookie in Vary, so that no cache hands one
caller's answer to another. (The site's own pages are tests/security/test_headers.py's.)"""
from __future__ import annotations

from tests import factories
from tests.api.helpers import api_as

ME, PUBLIC = "/api/v1/me", "/api/v1/parliaments/"


def vary_of(response) -> set[str]:
    return {name.strip().lower() for name in response.headers.get("Vary", "").split(",")}


def assert_cached_as(response, cache_control: str) -> None:
    assert response.headers.get("Cache-Control") == cache_control, (response.status_code, response.headers)
    assert {"authorization", "cookie"} <= vary_of(response), response.headers


def test_a_browser_sessions_answers_are_never_stored(login_as, people):
    browser = login_as("learner")
    factories.make_parliament(name_en="Assembly", country_code="QA")
    for url in (ME, PUBLIC, "/api/v1/parliaments/2147483647"):
        response = browser.get(url)
        assert response.status_code in (200, 404), url
        assert_cached_as(response, "no-store")


def test_a_tokens_answers_are_private_and_revalidated(app, people):
    api = api_as(app, people["learner"])
    first = api.get(ME)
    assert first.status_code == 200
    assert_cached_as(first, "private, no-cache")
    again = api.get(ME, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.mimetype != "application/problem+json"  # a 304 confirms the copy: no problem, no no-store
    assert_cached_as(again, "private, no-cache")
    assert_cached_as(api.get(PUBLIC), "private, no-cache")  # even a public list, read with a token
    assert_cached_as(api.get("/api/v1/parliaments/2147483647"), "no-store")  # refusals and errors: never kept


def test_anonymous_public_reads_are_revalidated(client):
    factories.make_parliament(name_en="Assembly", country_code="QA")
    response = client.get(PUBLIC)
    assert response.status_code == 200
    assert_cached_as(response, "no-cache")
    assert "private" not in response.headers["Cache-Control"] and "no-store" not in response.headers["Cache-Control"]
