"""Numbers that come in URLs: bounded to what the database's integer columns hold, or treated as absent.

Ids are 32-bit integers on PostgreSQL (SERIAL), and SQLite's integers stop at 2**63 - 1: a larger
number in a path or a query reached the database as an error (a 500). The app's `int` route
converter and every integer query argument go through these rules, so such a number is a 404 (path)
or is ignored (query), like any other id that names nothing.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER, the type of every id column
# More digits than MAX_ID has cannot be in range: refused before int() (whose time grows with the length).
_MAX_DIGITS = len(str(MAX_ID))


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` for the whole app: at most MAX_ID unless a rule says otherwise (a larger number is a 404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 - werkzeug's names
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


def parse_int(text: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """`text` as a whole number within the bounds, written in ASCII digits (a leading "-" if minimum < 0); else None."""
    if text is None:
        return None
    text = text.strip()
    digits = text[1:] if text.startswith("-") and minimum < 0 else text
    if not digits or len(digits) > _MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def int_from(args: Mapping, name: str, default: int | None = None, *, minimum: int = 1,
             maximum: int = MAX_ID) -> int | None:
    """One integer argument of `args` (a MultiDict), or `default` when it is missing or not a number in range."""
    number = parse_int(args.get(name), minimum=minimum, maximum=maximum)
    return default if number is None else number


def ints_from(args, name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> list[int]:
    """Every value of a repeated integer argument that is a number in range; the others are dropped."""
    numbers = (parse_int(value, minimum=minimum, maximum=maximum) for value in args.getlist(name))
    return [number for number in numbers if number is not None]


def int_arg(name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """An integer query argument of the current request (in place of `request.args.get(name, type=int)`)."""
    return int_from(request.args, name, default, minimum=minimum, maximum=maximum)
