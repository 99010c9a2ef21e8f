"""Locale and timezone of the viewer, and the filters that show dates in them."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def select_locale() -> str:
    """The signed-in person's preference, then the switcher's choice, then the browser's."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():
        # Services also run from the CLI, where there is no session or browser to ask.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.preferred_language in supported:
        return current_user.preferred_language
    chosen = session.get("language")
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def text_direction(locale: str | None = None) -> str:
    language = (locale or str(get_locale())).split("_")[0]
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def register_template_helpers(app) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""

    @app.context_processor
    def locale_context():
        locale = str(get_locale())
        return {"current_locale": locale, "text_direction": text_direction(locale),
                "language_names": LANGUAGE_NAMES}
