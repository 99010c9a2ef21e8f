"""The parliaments list: public, paged by cursor, with ETags."""
from tests import factories
from tests.api.helpers import all_pages


def test_anyone_lists_parliaments_page_by_page_in_a_stable_order(app, client):
    made = [factories.make_parliament(name_en=f"Parliament {n}", country_code=f"Q{n}") for n in range(5)]
    items = all_pages(client, "/api/v1/parliaments/", limit=2)
    assert [item["id"] for item in items] == sorted(p.id for p in made)
    assert items[0]["names"]["en"] == "Parliament 0"


def test_a_parliament_read_again_unchanged_answers_304(client):
    parliament = factories.make_parliament(name_en="Assembly", country_code="QA")
    first = client.get(f"/api/v1/parliaments/{parliament.id}")
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(f"/api/v1/parliaments/{parliament.id}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_an_unknown_parliament_is_a_problem_document(client):
    response = client.get("/api/v1/parliaments/999999")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_a_bad_limit_names_the_field(client):
    response = client.get("/api/v1/parliaments/?limit=0")
    assert response.status_code == 422
    assert "limit" in response.get_json()["errors"]["query"]


def test_a_cursor_made_up_is_refused_not_a_server_error(client):
    response = client.get("/api/v1/parliaments/?cursor=not-a-cursor")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_an_unknown_token_is_refused_even_on_public_reads(client):
    response = client.get("/api/v1/parliaments/", headers={"Authorization": "Bearer hmc_nothing"})
    assert response.status_code == 401
    assert "invalid_token" in response.headers["WWW-Authenticate"]
