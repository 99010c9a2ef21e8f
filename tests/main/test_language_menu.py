"""The language menu lists the five interface languages in their own names, and each one switches the page."""
from __future__ import annotations

import re
from html import unescape

import pytest
from flask_babel import force_locale, gettext

from tests.factories import PASSWORD, make_person
from tests.helpers import post_form, sign_in, text

MENU = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português", "ar": "العربية"}
SELECT_RE = re.compile(r'<select id="language-select" name="language">(.*?)</select>', re.DOTALL)
OPTION_RE = re.compile(r'<option value="([^"]*)" lang="([^"]*)"[^>]*>([^<]*)</option>')


def menu(page: str) -> list[tuple[str, str, str]]:
    [options] = SELECT_RE.findall(page)
    return [(value, lang, unescape(name).strip()) for value, lang, name in OPTION_RE.findall(options)]


def test_the_menu_lists_every_language_in_its_own_name_with_its_lang(client):
    assert menu(text(client.get("/"))) == [(code, code, name) for code, name in MENU.items()]


@pytest.mark.parametrize("language", list(MENU))
def test_choosing_a_language_sets_the_page_language_and_direction(client, language):
    response = post_form(client, "/language", {"language": language, "next": "/account/login"})
    assert response.headers["Location"].endswith("/account/login")

    page = text(client.get("/account/login", headers={"Accept-Language": "en"}))

    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page
    with force_locale(language):
        assert gettext("Language") in page
    # The menu stays the same whatever the page's language, with the chosen one selected.
    assert menu(page) == [(code, code, name) for code, name in MENU.items()]
    assert re.search(rf'<option value="{language}" lang="{language}"\s+selected>', page)


@pytest.mark.parametrize("language", ["es", "pt", "ar"])
def test_a_signed_in_person_s_choice_is_saved_as_their_language(app, client, language):
    person = make_person()
    sign_in(client, person.email, PASSWORD)
    post_form(client, "/language", {"language": language, "next": "/dashboard"}, token_from="/dashboard")
    assert person.preferred_language == language
    assert f'<html lang="{language}"' in text(client.get("/dashboard", headers={"Accept-Language": "en"}))
