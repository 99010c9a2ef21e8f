"""What the `flask …` commands tell the person at the terminal, in the terminal's language.

The language comes from the locale variables as POSIX reads them (LC_ALL, then LC_MESSAGES, then LANG:
`LANG=fr_FR.UTF-8 flask setup` answers in French); one the site does not speak, or C/POSIX, gives the
default. Messages are lazy (`_l`) so that they are translated here, under that language, and not in
whatever locale the command's own work runs (mail and feeds pick each recipient's).
"""
from __future__ import annotations

import os

import click
from flask import current_app
from flask_babel import force_locale


def terminal_locale(environ=None) -> str:
    environ = os.environ if environ is None else environ
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            language = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return language if language in current_app.config["LANGUAGES"] else default
    return default


def in_terminal_language(message) -> str:
    with force_locale(terminal_locale()):
        return str(message)


def say(message) -> None:
    click.echo(in_terminal_language(message))


def failure(message) -> click.ClickException:
    """A ClickException to raise: click prints it as "Error: …" and the command exits with 1."""
    return click.ClickException(in_terminal_language(message))


def ask_to_confirm(message) -> None:
    click.confirm(in_terminal_language(message), abort=True)
