"""No English left on pages shown in Spanish, Portuguese or Arabic: text that never went through gettext.

tests/test_i18n.py proves every extracted message is translated; this sweep catches what was never extracted.
It renders every GET page the demo data fills, for each role, through the test client (no browser: the text
is in the HTML; what site.js shows comes from a data-copied attribute, read with the rest), and reads the
visible text, the <title>, and the aria-label, title, placeholder, alt and button values. Two signs of English:

- a catalog message whose translation differs, verbatim in the page (a one-word message as a whole run);
- an English function word ("the", "your", "not"…) in a text run.

Data is not UI: a run inside an element in another language (lang="en", lang="fr"…) is left out, and every
string stored in the database (titles, names, places, course texts) is cut out of a run before it is read.
The same reading covers the CSV, XLSX and iCalendar downloads and the mails the demo sends.
"""
from __future__ import annotations

import csv
import io
import re
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from babel.messages.pofile import read_po
from flask import render_template, template_rendered
from flask_babel import force_locale
from sqlalchemy import JSON, String, Text, select

from elearn.extensions import db
from elearn.people.models import Person
from tests.browser.test_phone_overflow import FILE_SUFFIXES, PASSWORDS, ROLES, _argument_values, _get_routes, _url
from tests.helpers import post_form, run_jobs, sign_in

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("es", "pt", "ar")
# data-copied: the text site.js puts in a status line once an address is copied.
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description", "data-copied")
SKIPPED_ELEMENTS = {"script", "style"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Mail bodies are the interface's text, rendered: counted as data, they would hide the same English on a page.
NOT_DATA = {"outbox_message.body_text", "outbox_message.body_html", "outbox_message.headers",
            "outbox_message.attachments"}
MARKDOWN = re.compile(r"\*\*|__|[*_`]|\[|\]\([^)]*\)")
FUNCTION_WORDS = re.compile(r"\b(the|and|your|of|to|with|for|is|are|not|no|this|that|you|has|have|an|or|on|"
                            r"by|from|yet|will|be|at)\b", re.IGNORECASE)
# The allow-list: function words that are also words of the page's language ("no" is Spanish for "not",
# Portuguese for "in the"). Nothing else is allowed: names and titles are data, cut out as such.
ALLOWED = {"es": {"no"}, "pt": {"no"}, "ar": set()}


class VisibleText(HTMLParser):
    """Text runs and labelling attributes, each with the language of the element around it."""

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.page_lang = page_lang
        self.runs: list[str] = []
        self.skip = 0

    def _lang(self) -> str:
        return self.stack[-1][1] if self.stack else self.page_lang

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or self._lang()).split("-")[0]
        if tag in SKIPPED_ELEMENTS:
            self.skip += 1
        if lang == self.page_lang:
            for name in ATTRIBUTES:
                if attrs.get(name):
                    self.runs.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
                self.runs.append(attrs["value"])
        if tag == "html":
            self.page_lang = lang
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS:
            self.skip = max(0, self.skip - 1)
        for index in range(len(self.stack) - 1, -1, -1):  # tolerate unclosed <p>, <li>, <td>…
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.skip or self._lang() != self.page_lang:
            return
        data = " ".join(data.split())
        if data:
            self.runs.append(data)


def visible_runs(html: str, page_lang: str) -> list[str]:
    parser = VisibleText(page_lang)
    parser.feed(html)
    parser.close()
    return parser.runs


def _collect(value, found: set[str]) -> None:
    if isinstance(value, str):
        for piece in [value, *value.splitlines()]:
            piece = " ".join(piece.split())
            if len(piece) >= 3:
                found.add(piece)
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            _collect(item, found)


def stored_strings() -> tuple[re.Pattern, str]:
    """Every string the database holds (JSON values included): longest first, as one pattern to cut out, and
    all together with Markdown's marks taken out, where a run cut short by <strong> or <a> is found."""
    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)
                   and f"{table.name}.{c.name}" not in NOT_DATA]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for value in row:
                _collect(value, found)
    # Whole words only: the phase "pre" is stored, and must not be cut out of "prepare".
    pattern = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(re.escape(s) for s in sorted(found, key=len, reverse=True)))
    return pattern, "\n".join(MARKDOWN.sub("", s) for s in found)


def catalog_messages(locale: str) -> list[str]:
    """English messages the catalog translates differently, longest first."""
    with open(ROOT / f"elearn/translations/{locale}/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    messages = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings or "%(" in msgid or "{" in msgid:
                continue  # kept as is by the translator, or with a placeholder that never shows verbatim
            plain = " ".join(re.sub(r"<[^>]+>", " ", msgid).split())
            if re.search(r"[a-z]{3}", plain):
                messages.add(plain)
    return sorted(messages, key=len, reverse=True)


def english_in(run: str, locale: str, data: tuple[re.Pattern, str], messages: list[str]) -> list[str]:
    pattern, corpus = data
    remainder = pattern.sub(" ", run)
    # A message of two words or more anywhere; a one-word message ("Delete", "Status") as the whole run.
    found = [f"message {m!r}" for m in messages if (m in remainder if " " in m else m == remainder.strip())]
    # Lower-case only: "BE", "TO" are country and state codes.
    words = {w for w in FUNCTION_WORDS.findall(remainder) if not w.isupper()}
    words = {w.lower() for w in words} - ALLOWED[locale]
    if words and run.strip(" …;:,.") not in corpus:  # a piece of a stored Markdown text
        found.append(f"English words {sorted(words)} in {remainder.strip()!r}")
    return found


def _sign_in_as(app, email: str | None, locale: str):
    client = app.test_client()
    if email:
        person = db.session.scalar(select(Person).where(Person.email == email))
        person.preferred_language = locale
        db.session.commit()
        assert sign_in(client, email, PASSWORDS[email]).status_code == 302
    return client


def sweep(app, locale: str) -> tuple[dict[str, set[str]], int]:
    """Findings (each with the pages it was seen on) and the number of pages read, in one language."""
    data = stored_strings()
    messages = catalog_messages(locale)
    routes, _ = _get_routes(app)
    findings: dict[str, set[str]] = defaultdict(set)
    pages = 0
    for role, email in ROLES.items():
        client = _sign_in_as(app, email, locale)
        person = db.session.scalar(select(Person).where(Person.email == email)) if email else None
        values = _argument_values(person)
        urls = [_url(app, rule, values)[0] for rule in routes]
        db.session.commit()
        for url in filter(None, urls):
            response = client.get(url, headers={"Accept-Language": locale})
            if response.status_code != 200 or not response.content_type.startswith("text/html"):
                continue
            pages += 1
            for run in visible_runs(response.get_data(as_text=True), locale):
                for finding in english_in(run, locale, data, messages):
                    findings[finding].add(f"{url} ({role})")
    return findings, pages


def file_texts(response) -> list[str]:
    """The cells of a CSV or XLSX download, the human-readable properties of an iCalendar feed."""
    body = response.get_data()
    if response.content_type.startswith("text/calendar"):
        unfolded = body.decode().replace("\r\n ", "").replace("\\n", " ").replace("\\,", ",").replace("\\;", ";")
        return [line.split(":", 1)[1] for line in unfolded.splitlines()
                if line.split(":")[0].split(";")[0] in ("X-WR-CALNAME", "X-WR-CALDESC", "NAME", "DESCRIPTION",
                                                          "SUMMARY", "LOCATION", "CATEGORIES")]
    if "spreadsheetml" in response.content_type:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        cells = [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                 for cell in row if isinstance(cell, str)]
        cells += book.sheetnames
        book.close()
        return cells
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["es", "ar"])
def test_no_english_is_left_in_the_downloads(app, locale):
    """Every CSV, XLSX and iCalendar download, for an administrator (who may open them all) reading in `locale`."""
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    data, messages = stored_strings(), catalog_messages(locale)
    client = _sign_in_as(app, ROLES["admin"], locale)
    values = _argument_values(db.session.scalar(select(Person).where(Person.email == ROLES["admin"])))
    findings: dict[str, set[str]] = defaultdict(set)
    files = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.endswith(FILE_SUFFIXES) or rule.rule.endswith(".pdf"):
            continue
        url = _url(app, rule, values)[0]
        # A feed is read by a calendar program, not the browser: its language is in its address.
        response = client.get(url, query_string={"locale": locale} if url.endswith(".ics") else None) if url else None
        if response is None or response.status_code != 200:
            continue
        files += 1
        for text in file_texts(response):
            for finding in english_in(" ".join(text.split()), locale, data, messages):
                findings[finding].add(url)
    assert files >= 10
    report = [f"{finding}\n    in {', '.join(sorted(where)[:3])}" for finding, where in sorted(findings.items())]
    assert not findings, f"English left in {locale} downloads:\n" + "\n".join(report)


@pytest.mark.slow
def test_no_english_is_left_in_the_mails_the_demo_sends(app):
    """The mails the demo's seeding and jobs queue (agenda items, decisions, requests, registrations), rendered
    again from the same context for a Spanish and an Arabic reader: subject, text and HTML."""
    sent: dict[str, dict] = {}

    def record(sender, template, context, **extra):
        if template.name.startswith("mail/") and not template.name.startswith("mail/_"):
            sent.setdefault(template.name, dict(context))

    template_rendered.connect(record, app)
    try:
        assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
        run_jobs()
    finally:
        template_rendered.disconnect(record, app)
    assert len(sent) >= 12, sorted(sent)
    data, findings = stored_strings(), []
    for locale in ("es", "ar"):
        messages = catalog_messages(locale)
        for name, context in sorted(sent.items()):
            own = {key: value for key, value in context.items() if key not in ("g", "request", "session", "config")}
            with app.test_request_context(), force_locale(locale):
                out = render_template(name, **own)
            runs = visible_runs(out, locale) if name.endswith(".html") else out.splitlines()
            findings += [f"{locale} {name}: {finding}" for run in runs
                         for finding in english_in(" ".join(run.split()), locale, data, messages)]
    assert not findings, "English left in mails:\n" + "\n".join(sorted(set(findings)))


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_is_left_on_the_pages(app, locale, capsys):
    started = time.monotonic()
    seeded = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    findings, pages = sweep(app, locale)
    with capsys.disabled():
        print(f"\n{locale}: {pages} pages read in {time.monotonic() - started:.0f} s, {len(findings)} findings")
    assert pages >= 100, "the sweep read too few pages: is the demo data loaded?"
    report = [f"{finding}\n    on {', '.join(sorted(where)[:3])}" for finding, where in sorted(findings.items())]
    assert not findings, f"English left on {locale} pages:\n" + "\n".join(report)


@pytest.mark.parametrize("locale", LOCALES)
def test_wtforms_own_messages_come_out_in_the_pages_language(client, locale):
    """"This field is required." comes from WTForms' catalogs (Flask-WTF reads them in the request's locale)."""
    response = post_form(client, "/account/login", {"email": "", "password": ""}, headers={"Accept-Language": locale})
    page = response.get_data(as_text=True)
    assert f'lang="{locale}"' in page and "This field is required." not in page
    assert page.count('class="error-message"') >= 2


def test_the_detector_finds_english_and_leaves_data_alone(app):
    data = (re.compile(r"(?<!\w)(?:Committee on Public Accounts|pre)(?!\w)"), "How the upper house examines the bill")
    messages = ["Back to the list", "Delete"]
    assert english_in("Back to the list", "es", data, messages)
    assert english_in("Delete", "es", data, messages)
    assert english_in("Open the menu", "pt", data, messages)
    assert not english_in("Committee on Public Accounts", "es", data, messages)
    assert not english_in("How the upper house examines the", "ar", data, messages)  # Markdown cut by <strong>
    assert not english_in("No hay nada que preparar", "es", data, messages)  # "no" is Spanish; "pre" a whole word
    assert not english_in("BE", "es", data, messages)
