"""The API's conventions, whatever the resource: ETags and 304, cursor pages that neither repeat nor skip,
problem documents, the site's own 404 page kept outside /api/, times with their offset."""
from __future__ import annotations

import re
from datetime import datetime

import pytest

from elearn.api.schemas import Instant
from elearn.api.scopes import allowed_scopes
from elearn.extensions import db
from tests import factories
from tests.api.helpers import TokenClient, token_for
from tests.api.operations import api_operations
from tests.api.samples import seed_api_samples

PROBLEM = "application/problem+json"
LIST, ITEM = "/api/v1/parliaments/", "/api/v1/parliaments/{}"
# Something that reads as a date and time: it must then carry an offset (Z or ±hh:mm).
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
WITH_OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


def test_a_list_and_an_item_answer_304_to_their_etag(client):
    parliament = factories.make_parliament(name_en="Assembly", country_code="QA")
    for url in (LIST, ITEM.format(parliament.id)):
        first = client.get(url)
        etag = first.headers["ETag"]
        assert first.status_code == 200 and etag
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b""


def test_a_changed_object_has_a_new_etag(client):
    parliament = factories.make_parliament(name_en="Assembly", country_code="QA")
    url = ITEM.format(parliament.id)
    before = client.get(url).headers["ETag"]
    listed_before = client.get(LIST).headers["ETag"]
    parliament.name_en = "National Assembly"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": before})
    assert changed.status_code == 200 and changed.headers["ETag"] != before
    assert changed.get_json()["names"]["en"] == "National Assembly"
    assert client.get(LIST, headers={"If-None-Match": listed_before}).status_code == 200


def test_cursor_pages_neither_repeat_nor_skip_while_rows_are_added(client):
    made = [factories.make_parliament(name_en=f"P{n}", country_code=f"Q{n}").id for n in range(5)]
    seen, cursor, added = [], None, []
    while True:
        response = client.get(LIST, query_string={"limit": 2, **({"cursor": cursor} if cursor else {})})
        body = response.get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert f"cursor={cursor}" in response.headers["Link"] and 'rel="next"' in response.headers["Link"]
        added.append(factories.make_parliament(name_en=f"Late {len(added)}", country_code=f"L{len(added)}").id)
    assert len(seen) == len(set(seen)), "an item came twice"
    assert seen == sorted(seen)
    assert set(made) <= set(seen), "an item was skipped"
    assert set(added) <= set(seen), "rows added after the current page are reached on later pages"


def test_a_problem_document_says_what_went_wrong_field_by_field(client):
    response = client.get(LIST, query_string={"limit": "many"})
    assert response.status_code == 422 and response.mimetype == PROBLEM
    body = response.get_json()
    assert body["type"] and body["title"] and body["status"] == 422 and body["instance"] == LIST
    assert body["errors"]["query"]["limit"]


def test_an_unknown_api_address_is_a_problem_while_a_page_keeps_its_html(client):
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.mimetype == PROBLEM
    assert api.get_json()["instance"] == "/api/v1/no-such-thing"
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "<html" in page.get_data(as_text=True)


def test_an_instant_is_written_with_its_offset():
    naive = datetime(2026, 12, 6, 14, 0)  # as SQLite hands a UTC time back
    assert Instant()._serialize(naive, "at", None) == "2026-12-06T14:00:00+00:00"


def datetimes_without_offset(value, where="") -> list[str]:
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in datetimes_without_offset(item, f"{where}.{key}")]
    if isinstance(value, list):
        return [found for item in value for found in datetimes_without_offset(item, f"{where}[]")]
    if isinstance(value, str) and DATETIME.match(value) and not WITH_OFFSET.search(value):
        return [f"{where}: {value}"]
    return []


def test_every_read_writes_its_times_with_an_offset(app, people):
    """Each GET operation, over the samples, read by an administrator and by a focal point."""
    samples = seed_api_samples(people)
    readers = [TokenClient(app, token_for(people[role], *allowed_scopes(people[role])))
               for role in ("admin", "focal_point", "learner")]
    wrong = []
    for operation in api_operations(app):
        if operation.method != "GET":
            continue
        for reader in readers:
            response = reader.get(operation.url(samples))
            if response.status_code == 200 and response.is_json:
                wrong += [f"{operation.id} {found}" for found in datetimes_without_offset(response.get_json())]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("value", [2**31, -(2**31) - 1, 2**63])
def test_a_cursor_past_the_ids_range_is_refused_on_every_database(client, value):
    import base64
    import json

    cursor = base64.urlsafe_b64encode(json.dumps([value]).encode()).decode().rstrip("=")
    response = client.get("/api/v1/parliaments/", query_string={"cursor": cursor})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
