"""Cursor pagination with a stable order: `?limit=` and `?cursor=` in, `items` and `next_cursor` out.

The cursor is the sort key of the last item sent, opaque to callers (base64 of JSON). The next page is
"keys after this one" (a keyset), so a page costs the same statements wherever it is in the list and rows
added meanwhile neither repeat nor shift it. The sort columns must be NOT NULL and end with the id.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from flask import abort, request
from marshmallow import Schema, fields, validate
from sqlalchemy import BigInteger, Select, and_, or_

from elearn.extensions import db

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class PageArgs(Schema):
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT),
                           metadata={"description": f"Items per page, 1 to {MAX_LIMIT}"})
    cursor = fields.String(load_default=None, validate=validate.Length(max=500),
                           metadata={"description": "The next_cursor of the previous page; absent for the first"})


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """The envelope of a list: its items and the cursor of the next page (null on the last)."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": fields.String(allow_none=True, required=True),
    }, name=name)


def _encode(values: tuple) -> str:
    plain = [{"t": value.isoformat()} if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def _fits(column, value) -> bool:
    """A value the database can compare with `column`: a forged cursor must not reach it as a wrong type
    (PostgreSQL refuses integer > varchar; UTCDateTime refuses naive times)."""
    if isinstance(value, bool):
        return False
    try:
        expected = column.type.python_type
    except NotImplementedError:
        expected = object
    if not isinstance(value, expected):
        return False
    if isinstance(value, int):
        # PostgreSQL's INTEGER is 32-bit: a larger number is an error there, not "nothing after it".
        bits = 63 if isinstance(column.type, BigInteger) else 31
        return -2**bits <= value < 2**bits
    if isinstance(value, datetime):
        return value.utcoffset() is not None and datetime.min.year < value.year < datetime.max.year
    return True


def _decode(cursor: str, columns: list) -> tuple:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(columns):
            raise ValueError
        values = tuple(datetime.fromisoformat(value["t"]) if isinstance(value, dict) else value for value in raw)
        if not all(_fits(column, value) for column, value in zip(columns, values, strict=True)):
            raise ValueError
        return values
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        abort(422, description="The cursor is not one this list gave.")


def _after(columns, values):
    """(c1, c2, ...) > (v1, v2, ...), spelt out so that it works on every backend and uses the index."""
    clauses = []
    for index, column in enumerate(columns):
        equal = [columns[i] == values[i] for i in range(index)]
        clauses.append(and_(*equal, column > values[index]))
    return or_(*clauses)


@dataclass
class Page:
    items: list
    next_cursor: str | None

    def as_dict(self) -> dict:
        return {"items": self.items, "next_cursor": self.next_cursor}


def keyset_page(statement: Select, columns: list, args: dict, key_of=None) -> Page:
    """One page of `statement` in the order of `columns` (ascending). `key_of(item)` gives an item's sort
    key (default: the columns' names read as attributes of the item)."""
    limit = args.get("limit") or DEFAULT_LIMIT
    cursor = args.get("cursor")
    if cursor:
        statement = statement.where(_after(columns, _decode(cursor, columns)))
    rows = list(db.session.scalars(statement.order_by(*columns).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    key_of = key_of or (lambda item: tuple(getattr(item, column.key) for column in columns))
    next_cursor = _encode(key_of(rows[-1])) if more and rows else None
    return Page(rows, next_cursor)


def link_header(page: Page) -> dict:
    """The Link header of RFC 8288 for the next page, beside next_cursor in the body."""
    if page.next_cursor is None:
        return {}
    args = request.args.to_dict()
    args["cursor"] = page.next_cursor
    return {"Link": f'<{request.base_url}?{urlencode(args)}>; rel="next"'}
