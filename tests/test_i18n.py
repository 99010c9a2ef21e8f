"""Languages: negotiation, the switcher, right-to-left, complete catalogs, local times."""
import re
import shlex
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from flask_babel import force_locale
from jinja2 import meta, nodes
from jinja2.ext import extract_from_ast

from elearn.cooperation import services
from elearn.cooperation.models import RequestStatus
from elearn.i18n import text_direction
from tests.cooperation.factories import make_request
from tests.factories import PASSWORD, make_person
from tests.helpers import post_form, sign_in, text

ROOT = Path(__file__).resolve().parent.parent


def test_english_by_default(client):
    page = text(client.get("/"))
    assert '<html lang="en" dir="ltr">' in page
    assert "Learning and cooperation between parliaments" in page


def test_accept_language_picks_french(client):
    page = text(client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}))
    assert '<html lang="fr" dir="ltr">' in page
    assert "Se connecter" in page


def test_unsupported_browser_language_falls_back_to_english(client):
    page = text(client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}))
    assert '<html lang="en"' in page


def test_switcher_overrides_the_browser(client):
    response = post_form(client, "/language", {"language": "fr", "next": "/account/login"})
    assert response.headers["Location"].endswith("/account/login")
    page = text(client.get("/account/login", headers={"Accept-Language": "en"}))
    assert '<html lang="fr"' in page


def test_switcher_ignores_unknown_languages_and_offsite_next(client):
    response = post_form(client, "/language", {"language": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="en"' in text(client.get("/"))


def test_signed_in_preference_wins_and_switching_saves_it(app, client):
    person = make_person(preferred_language="fr")
    sign_in(client, person.email, PASSWORD)
    page = text(client.get("/dashboard", headers={"Accept-Language": "en"}))
    assert "Bienvenue" in page and '<html lang="fr"' in page
    post_form(client, "/language", {"language": "en", "next": "/dashboard"})
    assert '<html lang="en"' in text(client.get("/dashboard"))
    assert person.preferred_language == "en"


def test_arabic_is_right_to_left():
    assert text_direction("ar") == "rtl"
    assert text_direction("fr") == "ltr"


def test_times_are_shown_in_the_viewers_timezone(app, client):
    person = make_person(timezone="Asia/Thimphu", preferred_language="en")  # UTC+6, no DST
    sign_in(client, person.email, PASSWORD)
    person.last_login_at = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
    from elearn.extensions import db
    db.session.commit()
    page = text(client.get("/dashboard"))
    assert "3:30" in page and "PM" in page  # 09:30 UTC is 15:30 in Thimphu


def test_mail_is_written_in_the_recipients_language(app):
    from elearn.extensions import db
    from elearn.mail.models import OutboxMessage
    from elearn.people.services import request_password_reset

    make_person(email="fr@example.org", preferred_language="fr")
    request_password_reset("fr@example.org")
    message = db.session.query(OutboxMessage).one()
    assert "mot de passe" in message.subject.lower()
    assert "Bonjour" in message.body_text


def makefile_extract_command(pot: Path) -> list[str]:
    """`make extract-messages`'s own pybabel command (same keywords, same babel.cfg), writing to `pot`."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "pybabel extract" in line)
    arguments = shlex.split(line)[1:]  # after $(BIN)/pybabel
    arguments[arguments.index("-o") + 1] = str(pot)
    return [sys.executable, "-m", "babel.messages.frontend", *arguments]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The message keys (id, context) that `make extract-messages` finds."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(makefile_extract_command(pot), cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return {message_key(message.id, message.context) for message in read_po(handle) if message.id}


def message_key(message_id, context=None) -> tuple[str, str | None]:
    return (message_id[0] if isinstance(message_id, (tuple, list)) else message_id), context


def template_messages(app) -> dict[tuple[str, str | None], str]:
    """Every message in templates/, parsed by the app's own Jinja environment (its extensions included)."""
    found = {}
    for path in sorted((ROOT / "templates").rglob("*")):
        if not path.is_file():
            continue
        node = app.jinja_env.parse(path.read_text(encoding="utf-8"))
        for _line, function, message in extract_from_ast(node):
            if function in ("pgettext", "npgettext"):
                key = message_key(message[1:], message[0])
            else:
                key = message_key(message)
            if key[0]:
                found[key] = str(path.relative_to(ROOT))
    return found


def test_extraction_finds_every_template_message(app, extracted):
    """A template babel cannot parse (an extension babel.cfg does not name) is not silently skipped."""
    missed = sorted(f"{where}: {key[0]}" for key, where in template_messages(app).items() if key not in extracted)
    assert not missed, f"make extract-messages misses: {missed[:10]}"


TRANSLATED = ("fr", "es", "pt", "ar")


def test_the_site_speaks_english_and_every_translated_language(app):
    assert set(app.config["LANGUAGES"]) == {"en", *TRANSLATED}


def read_catalog(language: str):
    with (ROOT / f"elearn/translations/{language}/LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalog_translates_every_message(app, extracted, language):
    """Extract the messages afresh: each one has a translation, not fuzzy, in each language."""
    wanted = extracted | set(template_messages(app))
    catalog = {message_key(message.id, message.context): message
               for message in read_catalog(language) if message.id}
    missing = sorted(str(m) for m in wanted if m not in catalog)
    untranslated = sorted(str(m) for m in wanted
                          if m in catalog and not (all(catalog[m].string) if isinstance(catalog[m].string, tuple)
                                                   else catalog[m].string))
    fuzzy = sorted(str(m) for m in wanted if m in catalog and catalog[m].fuzzy)
    assert not missing, f"not in the {language} catalog (run make extract-messages): {missing[:10]}"
    assert not untranslated, f"untranslated in {language}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_messages_have_every_form_the_language_has(language):
    """CLDR's forms: Arabic has six (zero, one, two, few, many, other), Spanish and Portuguese three."""
    catalog = read_catalog(language)
    expected = get_plural(language).num_plurals
    assert catalog.num_plurals == expected
    plural = [message for message in catalog if message.id and isinstance(message.id, (tuple, list))]
    assert plural
    short = [message.id[0] for message in plural if len(message.string) != expected or not all(message.string)]
    assert not short, f"{language} plural messages without all {expected} forms: {short[:5]}"


def test_arabic_plurals_pick_the_cldr_form_for_each_number(app):
    from flask_babel import ngettext

    with app.test_request_context(), force_locale("ar"):
        forms = {n: ngettext("%(num)d action plan", "%(num)d action plans", n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(forms.values())) == 6, forms


def test_form_error_summary_is_in_french(client):
    page = text(post_form(client, "/account/forgot", {"email": ""}, headers={"Accept-Language": "fr"}))
    assert "Veuillez corriger ce qui suit" in page and "Please correct the following" not in page


def test_macros_imported_without_context_use_no_page_variables(app):
    """A macro imported without context sees no current_locale: it would fall back to English unnoticed."""
    env = app.jinja_env

    def parsed(name: str):
        return env.parse(env.loader.get_source(env, name)[0])

    wrong = []
    for name in env.list_templates():
        for imported in parsed(name).find_all((nodes.Import, nodes.FromImport)):
            if imported.with_context or not isinstance(imported.template, nodes.Const):
                continue
            needed = meta.find_undeclared_variables(parsed(imported.template.value)) - set(env.globals)
            if needed:
                wrong.append(f"{name} imports {imported.template.value} without context, which uses {sorted(needed)}")
    assert not wrong, wrong


def test_a_translated_string_renders_in_french(app):
    from flask_babel import gettext

    with app.test_request_context(), force_locale("fr"):
        assert gettext("Sign in") == "Se connecter"


def po_entries(path: Path) -> list[tuple[str, str]]:
    """(context, id) of each entry as written, continuation lines joined; babel would keep only the last twin."""
    entries, context, current, field = [], "", None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith('"') and field:
            current[field] += line[1:-1]
            continue
        if field == "msgid":
            entries.append((current["msgctxt"], current["msgid"]))
        field = None
        if line.startswith("msgctxt "):
            context = line[9:-1]
        elif line.startswith("msgid "):
            current, field, context = {"msgctxt": context, "msgid": line[7:-1]}, "msgid", ""
    return entries


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_message_is_translated_twice_in_the_catalog(language):
    catalog = ROOT / f"elearn/translations/{language}/LC_MESSAGES/messages.po"
    entries = po_entries(catalog)
    twice = sorted({entry for entry in entries if entries.count(entry) > 1})
    assert len(entries) > 500
    assert not twice, f"defined more than once (msgfmt refuses the file): {twice[:5]}"
def test_the_language_menu_on_a_page_answering_a_post_goes_back_to_the_page_it_came_from(people, login_as):
    # A form shown again with its errors answers at a POST-only address: the menu used to go back there and
    # end on "This action is not allowed here".
    needs_request = make_request(people["focal_point"])
    services.change_status(needs_request, RequestStatus.UNDER_ASSESSMENT, actor=people["trainer"])
    client = login_as("trainer")
    detail = f"/cooperation/requests/{needs_request.id}"
    answer = post_form(client, f"/manage/cooperation/requests/{needs_request.id}/status",
                       {"status": "accepted", "programme_id": ""}, token_from=detail,
                       headers={"Referer": f"http://localhost{detail}"})
    assert answer.status_code == 200
    back_to = re.search(r'name="next" value="([^"]*)"', text(answer)).group(1)
    assert back_to == detail
    switched = post_form(client, "/language", {"language": "fr", "next": back_to}, follow_redirects=True)
    assert switched.status_code == 200 and "Traitement" in text(switched)


def test_dates_and_times_on_pages_stop_at_the_minute_but_the_audit_log_keeps_seconds(app):
    from flask import render_template_string

    moment = datetime(2026, 12, 6, 8, 33, 46, tzinfo=timezone.utc)
    shown = {}
    for language in ("en", "fr"):
        with app.test_request_context(), force_locale(language):
            shown[language] = render_template_string("{{ when|datetime }}|{{ when|datetime('precise') }}",
                                                     when=moment).replace("\u202f", " ").split("|")
    assert shown["en"] == ["Dec 6, 2026, 8:33 AM", "Dec 6, 2026, 8:33:46 AM"]
    assert shown["fr"] == ["6 déc. 2026, 08:33", "6 déc. 2026, 08:33:46"]
