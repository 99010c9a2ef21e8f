"""What still refers to a row, found through the foreign keys in the metadata, so that a delete can refuse by name."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Column, delete, func, inspect, select
from sqlalchemy.exc import IntegrityError

from elearn.extensions import db

# How rows that refer through a column are counted in a sentence, by (table, column); each feature names its own.
_NAMES: dict[tuple[str, str], Callable[[int], str]] = {}


def name_references(table: str, column: str, counted: Callable[[int], str]) -> None:
    """Say how the rows of `table` referring through `column` read in a refusal, e.g. "3 programmes (as partner)"."""
    _NAMES[(table, column)] = counted


@dataclass(frozen=True)
class Reference:
    table: str
    column: str
    count: int

    def __str__(self) -> str:
        counted = _NAMES.get((self.table, self.column))
        if counted is not None:
            return counted(self.count)
        # A table nobody named yet still blocks the delete; its name is better than a 500.
        return ngettext("%(num)d row of %(table)s", "%(num)d rows of %(table)s", self.count, table=self.table)


class StillReferenced(Exception):
    """The row is still referred to; `references` says by what (empty if the referrer is gone again)."""

    def __init__(self, references: list[Reference]):
        super().__init__(describe(references))
        self.references = references


def _blocking_columns(model) -> Iterator[tuple[Column, Column]]:
    """(referring column, referred column) for every foreign key that keeps a row of `model` from being deleted.

    Keys that cascade or set null do not block: the database tidies those rows itself.
    """
    table = model.__table__
    keys = sorted((key for other in db.metadata.tables.values() for key in other.foreign_keys),
                  key=lambda key: (key.parent.table.name, key.parent.name))  # a stable order to read
    for key in keys:
        if key.column.table is table and (key.ondelete or "").upper() not in {"CASCADE", "SET NULL"}:
            yield key.parent, key.column


def references_to(row) -> list[Reference]:
    """Every kind of row still referring to `row`, with how many, in a stable order."""
    mapper = inspect(row).mapper
    found = []
    for referring, referred in _blocking_columns(mapper.class_):
        value = getattr(row, mapper.get_property_by_column(referred).key)
        count = db.session.scalar(select(func.count()).select_from(referring.table).where(referring == value))
        if count:
            found.append(Reference(referring.table.name, referring.name, count))
    return found


def describe(references: list[Reference]) -> str:
    """The references as one phrase, e.g. "1 activity (as host) and 2 people"."""
    parts = [str(reference) for reference in references]
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s and %(last)s", first=", ".join(parts[:-1]), last=parts[-1])


def delete_unreferenced(row) -> None:
    """Delete `row` and commit, or raise StillReferenced naming what still refers to it.

    The count comes first so the refusal can name everything; the database's foreign keys
    are the safety net for a reference added between the count and the delete. A bulk
    DELETE, not session.delete(): the ORM would quietly detach loaded children instead.
    """
    references = references_to(row)
    if references:
        raise StillReferenced(references)
    state = inspect(row)
    model = state.mapper.class_
    keys = [column == value for column, value in zip(state.mapper.primary_key, state.identity, strict=True)]
    try:
        db.session.execute(delete(model).where(*keys))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise StillReferenced(references_to(row)) from None
