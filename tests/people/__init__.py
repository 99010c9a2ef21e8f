"""Helpers for the people tests: forms posted as a browser would, mail links, who is signed in."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sqlalchemy import select

from elearn.extensions import db
from elearn.mail.models import OutboxMessage

WELCOME_RE = re.compile(r"<h1>(?:Welcome|Bienvenue), (?:<bdi>)?([^<]+)(?:</bdi>)?</h1>")
LINK_RE = re.compile(r"https?://\S+")


class _FormReader(HTMLParser):
    """Collect each form's action, method and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action"),
                               "method": (attributes.get("method") or "get").lower(), "fields": []})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    fields.append((name, attributes.get("value") or "on"))
            else:
                fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in attributes), []
        elif tag == "option" and self._select:
            self._options.append((attributes.get("value") or "", "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.forms[-1]["fields"].extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_on(page: str, action: str | None = None) -> dict[str, list[str]]:
    """The values of the page's POST form with this action (None: the first one posting to the page itself)."""
    reader = _FormReader()
    reader.feed(page)
    for form in reader.forms:
        # A fragment only scrolls the answer page: the browser posts to the action without it.
        target = form["action"].split("#")[0] if form["action"] else form["action"]
        if form["method"] == "post" and target == action:
            values: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                values.setdefault(name, []).append(value)
            return values
    raise AssertionError(f"no POST form with action {action!r} on the page")


def submit(client, path: str, changes: dict | None = None, *, action: str | None = None, **kwargs):
    """Open `path`, keep what its form already holds, apply `changes` (None removes a field), post it."""
    page = client.get(path).get_data(as_text=True)
    values = form_on(page, action)
    for name, value in (changes or {}).items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value if isinstance(value, list) else [value]
    return client.post(action or path, data=values, **kwargs)


def signed_in_as(client) -> str | None:
    """The name the dashboard greets, or None when the client is treated as anonymous."""
    response = client.get("/dashboard")
    if response.status_code == 302:
        assert "/account/login" in response.headers["Location"]
        return None
    match = WELCOME_RE.search(response.get_data(as_text=True))
    assert match, "the dashboard greets nobody"
    return match.group(1)


def outbox(to: str | None = None) -> list[OutboxMessage]:
    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        statement = statement.where(OutboxMessage.to_address == to)
    return list(db.session.scalars(statement))


def link_in(message: OutboxMessage) -> str:
    """The path of the one link in a mail's text, ready for the test client."""
    links = LINK_RE.findall(message.body_text)
    assert len(links) == 1, f"expected one link in the mail, found {links}"
    return urlsplit(links[0]).path
