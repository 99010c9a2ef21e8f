"""Checks shared by features: tables of field rules read by one function, and the one rule for email addresses."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from wtforms.validators import ValidationError

# The length of the column (and of the forms' fields).
EMAIL_MAX_LENGTH = 254


@dataclass(frozen=True)
class Rule:
    """How one key of a mapping is checked.

    `message` is a str.format template (given `key`, `value` and the caller's
    context) or a function of the value. A missing key is checked like any value
    when `required` and no general message for missing keys is given.
    """

    key: str
    valid: Callable[[Any], bool]
    message: str | Callable[[Any], str]
    required: bool = False
    # The remaining rules are not checked when this one fails (later ones would only repeat the problem).
    fatal: bool = False
    # Further problems with a valid value, one message each (unknown items of a list...).
    more: Callable[[Any], Iterable[str]] | None = None
    # What is kept of a valid value (a stripped text, a parsed date...).
    keep: Callable[[Any], Any] | None = None


@dataclass
class Checked:
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (key, message)
    complete: bool = True  # False when a fatal rule failed

    @property
    def ok(self) -> bool:
        return not self.problems


def check_fields(data: Mapping, rules: Sequence[Rule], *, unknown: str | None = None, missing: str | None = None,
                 **context) -> Checked:
    """Check `data` against `rules`, in order: unknown keys first, then missing ones, then each rule."""
    checked = Checked()
    if unknown is not None:
        known = {rule.key for rule in rules}
        checked.problems += [(key, unknown.format(key=key, **context)) for key in sorted(set(data) - known)]
    if missing is not None:
        checked.problems += [(rule.key, missing.format(key=rule.key, **context))
                             for rule in rules if rule.required and rule.key not in data]
    for rule in rules:
        if rule.key not in data and (missing is not None or not rule.required):
            continue
        value = data.get(rule.key)
        if not rule.valid(value):
            checked.problems.append((rule.key, _message(rule, value, context)))
            if rule.fatal:
                checked.complete = False
                break
            continue
        if rule.more is not None:
            checked.problems += [(rule.key, message) for message in rule.more(value)]
        checked.values[rule.key] = rule.keep(value) if rule.keep is not None else value
    return checked


def _message(rule: Rule, value: Any, context: dict) -> str:
    if callable(rule.message):
        return rule.message(value)
    return rule.message.format(key=rule.key, value=value, **context)


def whole_number(minimum: int, maximum: int | None = None) -> Callable[[Any], bool]:
    """An int (not a bool, which Python counts as one) within the bounds."""
    def valid(value: Any) -> bool:
        return (isinstance(value, int) and not isinstance(value, bool) and value >= minimum
                and (maximum is None or value <= maximum))
    return valid


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def is_text(value: Any) -> bool:
    """A string with something other than spaces in it."""
    return isinstance(value, str) and bool(value.strip())


def is_text_list(value: Any) -> bool:
    """A non-empty list of strings."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, str) for item in value)


def has_control_character(text: str) -> bool:
    """A line break, tab, NUL or other control character: never part of a name or an address.

    Such a character would end a mail header or a calendar line early (header
    injection), and cannot be typed in a one-line field: it comes from a file.
    """
    return any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in text)


def normalise_email(text: str) -> str:
    """Trimmed and lower-case, as addresses are stored and looked up; no check (sign-in takes what is typed)."""
    return text.strip().lower()


def normalised_email(text: str) -> str:
    """The address as stored (trimmed, lower-case); ValueError, with a message for the user, if it is not one.

    One rule for the forms, the services and the CSV import, so that an address
    one of them accepts is never refused by another.
    """
    email = normalise_email(text)
    if has_control_character(email):
        raise ValueError(_("contains a control character, such as a line break or a tab"))
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValueError(_("too long (at most %(n)d characters)", n=EMAIL_MAX_LENGTH))
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(_("not a valid email address")) from error
    return email


# WTForms' own wording, translated by WTForms' catalogue: what the forms said before the rule was shared.
# A name, not a literal, so that extracting messages does not add it to Hemicycle's catalogue.
WTFORMS_EMAIL_MESSAGE = "Invalid email address."


class ValidEmail:
    """The WTForms face of `normalised_email`; the field keeps what was typed, the services store it normalised."""

    def __call__(self, form, field):
        try:
            normalised_email(field.data or "")
        except ValueError as error:
            raise ValidationError(field.gettext(WTFORMS_EMAIL_MESSAGE)) from error
