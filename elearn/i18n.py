"""Locale and timezone of the viewer, and the filters that show dates, numbers and names in them."""
from __future__ import annotations

import functools
import unicodedata
from datetime import datetime
from zoneinfo import available_timezones

from babel.dates import get_datetime_format
from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup

from elearn.languages import RTL_CODES, interface_languages, language_name
from elearn.urls import return_path


@functools.cache
def valid_timezones() -> frozenset[str]:
    # Cached: listing the zones walks the tz database (~15 ms), and an import checks every line.
    return frozenset(available_timezones())


def select_locale() -> str:
    """The signed-in person's preference, then the switcher's choice, then the browser's."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and the mail sender: force_locale decides
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.preferred_language in supported:
        return current_user.preferred_language
    chosen = session.get("language")
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def text_direction(locale: str | None = None) -> str:
    language = (locale or str(get_locale())).split("_")[0]
    return "rtl" if language in RTL_CODES else "ltr"


def name_sort_key(name: str) -> str:
    """Accents and case aside, so that Éthiopie sorts among the E's and not after Zambie."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def by_name(rows, locale: str | None = None) -> list:
    """Rows with a name(locale), such as parliaments and topics, in the order of the names the reader sees."""
    locale = locale or str(get_locale())
    return sorted(rows, key=lambda row: name_sort_key(row.name(locale)))


def moment(value: datetime | None, fmt: str = "medium") -> str:
    """A date and time in the viewer's zone. "medium" is the date at medium length and the time to the minute
    (babel's own medium time adds seconds, which no one reading a page needs); "precise" keeps the seconds,
    for the audit log; other names are babel's."""
    if not value:
        return ""
    if fmt == "precise":
        return format_datetime(value, "medium")
    if fmt != "medium":
        return format_datetime(value, fmt)
    pattern = get_datetime_format("medium", locale=get_locale())
    return pattern.replace("{1}", format_date(value, "medium")).replace("{0}", format_time(value, "short"))


def isolate(value) -> Markup:
    """A name, title or address put inside a translated sentence, in <bdi>: a Latin name in an Arabic sentence
    (or the reverse) keeps its own direction and does not carry the punctuation around it along."""
    return Markup("<bdi>%s</bdi>") % value


def register_template_helpers(app) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["datetime"] = moment
    app.jinja_env.filters["without_page"] = lambda args: {k: v for k, v in args.to_dict(flat=True).items()
                                                          if k != "page"}
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["number"] = format_decimal  # 242.5 reads 242,5 in French
    app.jinja_env.filters["by_name"] = by_name
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["direction"] = lambda code: text_direction(code or None)
    app.jinja_env.filters["bdi"] = isolate
    app.jinja_env.globals["return_path"] = return_path

    @app.context_processor
    def locale_context():
        locale = str(get_locale())
        return {"current_locale": locale, "text_direction": text_direction(locale),
                "current_timezone": str(get_timezone()),
                "language_names": interface_languages()}
