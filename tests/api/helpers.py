"""Calling the JSON API in tests: tokens with chosen scopes, and a client that sends them."""
from __future__ import annotations

from elearn.api.scopes import Scope, allowed_scopes
from elearn.api.tokens import create_token


def token_for(person, *scopes: Scope, days: int = 30) -> str:
    """A fresh token's secret for `person`: the scopes given, or every scope their role allows."""
    return create_token(person, "test system", list(scopes) or allowed_scopes(person), days).secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


class TokenClient:
    """A test client whose every call carries one token: `api.get("/api/v1/me/registrations")`."""

    def __init__(self, app, secret: str):
        self.client = app.test_client()
        self.headers = bearer(secret)

    def _call(self, method: str, url: str, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return getattr(self.client, method)(url, headers=headers, **kwargs)

    def get(self, url, **kwargs):
        return self._call("get", url, **kwargs)

    def post(self, url, **kwargs):
        return self._call("post", url, **kwargs)

    def put(self, url, **kwargs):
        return self._call("put", url, **kwargs)

    def delete(self, url, **kwargs):
        return self._call("delete", url, **kwargs)


def api_as(app, person, *scopes: Scope) -> TokenClient:
    return TokenClient(app, token_for(person, *scopes))


def all_pages(client, url: str, limit: int = 2) -> list[dict]:
    """Every item of a cursor-paged list, following next_cursor."""
    items, cursor = [], None
    while True:
        query = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
