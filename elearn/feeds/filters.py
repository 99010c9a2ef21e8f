"""The public calendar's filters, checked and put in one canonical form before they name a cache row.

Only values that can exist make a feed: a modality, audience or language from the
application's lists, a parliament id, a topic or programme slug (whether that topic,
programme or parliament exists is asked once, before the feed is first stored). Any
other value is refused with 400, so junk cannot create cache rows, and equal
filters in any order or case share one row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Response
from sqlalchemy import select

from elearn.extensions import db
from elearn.languages import CONTENT_LANGUAGES
from elearn.people.models import Parliament
from elearn.scheduling.models import Audience, Modality, Programme
from elearn.scheduling.queries import ActivityFilters
from elearn.topics import Topic

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
MAX_VALUES = 30       # values of one filter
MAX_SEARCH = 100      # characters of `q`
MAX_ID = 2**31 - 1
MODALITIES = frozenset(m.value for m in Modality)
AUDIENCES = frozenset(a.value for a in Audience)


class FilterError(ValueError):
    """A filter value that names nothing; the message says which (plain text, in English), `field` the parameter."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CalendarFilters:
    filters: ActivityFilters
    params: list[tuple[str, str]]  # canonical order: the cache identity and the feed's own URL


def _values(args, name: str) -> list[str]:
    values = sorted({value.strip() for value in args.getlist(name) if value.strip()})
    if len(values) > MAX_VALUES:
        raise FilterError(f"Too many values for {name}.", name)
    return values


def _known(args, name: str, allowed) -> list[str]:
    values = [value.lower() for value in _values(args, name)]
    for value in values:
        if value not in allowed:
            raise FilterError(f"Unknown {name}: {value[:40]!r}.", name)
    return sorted(set(values))


def _slugs(args, name: str) -> list[str]:
    values = sorted({value.lower() for value in _values(args, name)})
    for value in values:
        if not SLUG.fullmatch(value):
            raise FilterError(f"Unknown {name}: {value[:40]!r}.", name)
    return values


def _ids(args, name: str) -> list[int]:
    values = _values(args, name)
    for value in values:
        if not (value.isascii() and value.isdigit() and len(value) <= 10 and 0 < int(value) <= MAX_ID):
            raise FilterError(f"Unknown {name}: {value[:40]!r}.", name)
    return sorted({int(value) for value in values})


def parse(args) -> CalendarFilters:
    """The filters of a /calendar.ics request, or FilterError."""
    search = " ".join(args.get("q", "").split()).lower()
    if len(search) > MAX_SEARCH:
        raise FilterError(f"The search is longer than {MAX_SEARCH} characters.", "q")
    filters = ActivityFilters(modalities=_known(args, "modality", MODALITIES), topics=_slugs(args, "topic"),
                              languages=_known(args, "lang", CONTENT_LANGUAGES),
                              parliaments=_ids(args, "parliament"), programmes=_slugs(args, "programme"),
                              audiences=_known(args, "audience", AUDIENCES), search=search)
    return CalendarFilters(filters=filters, params=params_of(filters))


def params_of(filters: ActivityFilters) -> list[tuple[str, str]]:
    """The filters as query parameters, in one canonical order."""
    params = [("modality", v) for v in sorted(set(filters.modalities))]
    params += [("topic", v) for v in sorted(set(filters.topics))]
    params += [("lang", v) for v in sorted(set(filters.languages))]
    params += [("parliament", str(v)) for v in sorted(set(filters.parliaments))]
    params += [("programme", v) for v in sorted(set(filters.programmes))]
    params += [("audience", v) for v in sorted(set(filters.audiences))]
    if filters.search:
        params.append(("q", filters.search))
    return params


def unknown_references(filters: ActivityFilters) -> str | None:
    """What the filters name that does not exist (one query per kind named), else None."""
    unknown = unknown_reference(filters)
    return str(unknown) if unknown else None


def unknown_reference(filters: ActivityFilters) -> FilterError | None:
    """The first filter value naming a topic, programme or parliament that does not exist, else None."""
    for name, column, wanted in (("topic", Topic.slug, filters.topics),
                                 ("programme", Programme.slug, filters.programmes),
                                 ("parliament", Parliament.id, filters.parliaments)):
        if wanted:
            found = set(db.session.scalars(select(column).where(column.in_(wanted))))
            missing = [value for value in wanted if value not in found]
            if missing:
                return FilterError(f"Unknown {name}: {str(missing[0])[:40]!r}.", name)
    return None


def bad_request(message: str) -> Response:
    return Response(message + "\n", status=400, mimetype="text/plain")
