"""The one table of languages: the interface's, and those content and parliaments may use."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, so a reader finds their own
    right_to_left: bool = False
    # Activities, courses, requests and mail preferences may be in this language;
    # the others are only working languages of parliaments.
    for_content: bool = False


LANGUAGES = (
    Language("en", "English", for_content=True),
    Language("fr", "Français", for_content=True),
    Language("es", "Español", for_content=True),
    Language("pt", "Português", for_content=True),
    Language("ar", "العربية", right_to_left=True, for_content=True),
    Language("ru", "Русский"),
    Language("dz", "རྫོང་ཁ"),
    Language("dv", "ދިވެހި", right_to_left=True),
    Language("ms", "Bahasa Melayu"),
)
BY_CODE = {language.code: language for language in LANGUAGES}

# Scripts written right to left, also for interface locales not in the table yet.
RTL_CODES = frozenset({language.code for language in LANGUAGES if language.right_to_left} | {"fa", "he", "ur"})

CONTENT_LANGUAGES = {language.code: language.name for language in LANGUAGES if language.for_content}
WORKING_LANGUAGES = {language.code: language.name for language in LANGUAGES}


def interface_languages() -> dict[str, str]:
    """The languages the pages are translated into (config LANGUAGES), with their names."""
    return {code: BY_CODE[code].name for code in current_app.config["LANGUAGES"]}


def interface_locale(code: str | None) -> str:
    """`code` if the pages are translated into it, else the default: for feeds and mails built outside a page."""
    if code in current_app.config["LANGUAGES"]:
        return code
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def language_name(code: str) -> str:
    language = BY_CODE.get(code)
    return language.name if language else code
