"""The library's full-text index and its one query function, the same on SQLite (FTS5) and PostgreSQL (tsvector).

Both databases index words that Python has already normalised (Unicode compatibility forms, accents and
Arabic short vowels removed, case folded, split on anything not a letter or digit), so that a word matches
the same resources on both: "resume" finds "Résumé", "BUDGET" finds "budgétaire" (every word of a query is
a prefix). The index is a table beside library_resource, keyed by the resource's id: on SQLite the FTS5
virtual table `library_search(title, summary, body, keywords)`, on PostgreSQL `library_search(resource_id,
document tsvector)` with a GIN index, the title weighing most. The DDL events below make it with
`db.create_all()` (the tests), the migration 6fa04b8c3e5d on upgrade; the flush keeps it current for every
resource the ORM adds, changes or deletes, and `rebuild` remakes it after bulk writes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import and_, event, false, func, inspect, literal_column, or_, select, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from elearn.access import Role, has_role
from elearn.database import UNMAPPED_TABLES
from elearn.extensions import db
from elearn.library.models import LibraryResource, ResourceAccess, ResourceKind
from elearn.mentoring.models import MentoringPair, PairStatus

INDEX = "library_search"
UNMAPPED_TABLES.add(INDEX)
INDEXED = ("title", "summary", "body", "keywords")
# bm25 column weights (SQLite; PG_WRITE's setweight A-D below): a title word counts most.
SQLITE_WEIGHTS = "10.0, 2.0, 1.0, 4.0"
MAX_WORDS = 12
_WORD = re.compile(r"[^\W_]+")
# The Arabic definite article, alone or after a conjunction or preposition written with it ("wa-", "bi-", "li-"):
# الرقابة is found by رقابة.
_ARABIC_ARTICLE = re.compile(r"^(?:ال|وال|بال|كال|فال|لل)(?=[\u0621-\u064a]{2})")

SQLITE_CREATE = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX} USING fts5(title, summary, body, keywords, "
                 "tokenize = 'unicode61 remove_diacritics 2')")
PG_CREATE = (f"CREATE TABLE IF NOT EXISTS {INDEX} (resource_id INTEGER PRIMARY KEY "
             "REFERENCES library_resource (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)",
             f"CREATE INDEX IF NOT EXISTS ix_{INDEX}_document ON {INDEX} USING GIN (document)")
DROP = f"DROP TABLE IF EXISTS {INDEX}"
# Written out whole (no name put in at run time), the index's statements.
SQLITE_FORGET = "DELETE FROM library_search WHERE rowid = :id"
SQLITE_WRITE = ("INSERT INTO library_search (rowid, title, summary, body, keywords) "
                "VALUES (:id, :title, :summary, :body, :keywords)")
PG_FORGET = "DELETE FROM library_search WHERE resource_id = :id"
PG_WRITE = ("INSERT INTO library_search (resource_id, document) VALUES (:id, "
            "setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :keywords), 'B') || "
            "setweight(to_tsvector('simple', :summary), 'C') || setweight(to_tsvector('simple', :body), 'D'))")
EMPTY = "DELETE FROM library_search"


def words(value: str) -> list[str]:
    """The words of `value` as the index keeps them: no accents or short vowels, case folded."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return [_ARABIC_ARTICLE.sub("", word) for word in _WORD.findall(bare)]


def _document(resource) -> dict[str, str]:
    keywords = resource.keywords or []
    values = {"title": resource.title, "summary": resource.summary, "body": resource.body,
              "keywords": " ".join(keywords if isinstance(keywords, list) else [str(keywords)])}
    return {name: " ".join(words(values[name] or "")) for name in INDEXED}


def create_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(SQLITE_CREATE)
    else:
        for statement in PG_CREATE:
            connection.exec_driver_sql(statement)


def drop_index(connection: Connection) -> None:
    connection.exec_driver_sql(DROP)


def write(connection: Connection, rows: list) -> None:
    """Index (again) `rows`: resources, or rows with id, title, summary, body and keywords."""
    if not rows:
        return
    ids = [{"id": row.id} for row in rows]
    documents = [{"id": row.id, **_document(row)} for row in rows]
    sqlite = connection.dialect.name == "sqlite"
    connection.execute(text(SQLITE_FORGET if sqlite else PG_FORGET), ids)
    connection.execute(text(SQLITE_WRITE if sqlite else PG_WRITE), documents)


def forget(connection: Connection, ids: list[int]) -> None:
    if ids:
        connection.execute(text(SQLITE_FORGET if connection.dialect.name == "sqlite" else PG_FORGET),
                           [{"id": i} for i in ids])


def rebuild(connection: Connection, batch: int = 2000) -> None:
    """Index every resource afresh (after bulk inserts that bypassed the ORM, or in the migration)."""
    connection.exec_driver_sql(EMPTY)
    table = LibraryResource.__table__
    columns = (table.c.id, table.c.title, table.c.summary, table.c.body, table.c.keywords)
    last = 0
    while True:
        rows = connection.execute(select(*columns).where(table.c.id > last).order_by(table.c.id)
                                  .limit(batch)).all()
        if not rows:
            return
        write(connection, rows)
        last = rows[-1].id


event.listen(LibraryResource.__table__, "after_create",
             lambda target, connection, **kw: create_index(connection))
event.listen(LibraryResource.__table__, "before_drop",
             lambda target, connection, **kw: drop_index(connection))


@event.listens_for(db.session, "after_flush")
def _follow_changes(session: Session, flush_context) -> None:
    changed = [r for r in session.new if isinstance(r, LibraryResource)]
    changed += [r for r in session.dirty if isinstance(r, LibraryResource)
                and session.is_modified(r) and any(inspect(r).attrs[n].history.has_changes() for n in INDEXED)]
    gone = [r.id for r in session.deleted if isinstance(r, LibraryResource)]
    if changed or gone:
        connection = session.connection()
        write(connection, changed)
        forget(connection, gone)


def visible_to(person) -> ColumnElement[bool]:
    """Which resources `person` (None or anonymous: nobody signed in) may find and open."""
    if person is None or not getattr(person, "is_authenticated", False):
        return LibraryResource.access == ResourceAccess.PUBLIC
    # A declined or withdrawn pair never met: what was shared with it is no longer its people's.
    own_pairs = select(MentoringPair.id).where(
        or_(MentoringPair.mentor_id == person.id, MentoringPair.mentee_id == person.id,
            MentoringPair.trainer_id == person.id),
        MentoringPair.status.in_((PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.ENDED)))
    pair_ones = and_(LibraryResource.access == ResourceAccess.PAIR, LibraryResource.pair_id.in_(own_pairs))
    if has_role(person, Role.TRAINER):
        return or_(LibraryResource.access != ResourceAccess.PAIR, pair_ones)
    parliament_ones = (and_(LibraryResource.access == ResourceAccess.PARLIAMENT,
                            LibraryResource.parliament_id == person.parliament_id)
                       if person.parliament_id is not None else false())
    return or_(LibraryResource.access.in_((ResourceAccess.PUBLIC, ResourceAccess.NETWORK)),
               parliament_ones, pair_ones)


@dataclass(frozen=True)
class Filters:
    words: str = ""
    topic_id: int | None = None
    language: str | None = None
    kind: ResourceKind | None = None
    activity_id: int | None = None
    programme_id: int | None = None


def _match(dialect: str, query_words: list[str]):
    """The ids of the resources having every word (as a prefix), and a rank ordering best first."""
    index = table(INDEX)
    if dialect == "sqlite":
        phrase = " ".join(f'"{word}"*' for word in query_words)
        # Materialised first: otherwise SQLite walks a filter's index (a language, a kind) and probes the
        # full-text index row by row (440 ms for words + language + kind at 50,000 resources).
        matches = (select(literal_column("rowid").label("resource_id"),
                          literal_column(f"bm25({INDEX}, {SQLITE_WEIGHTS})").label("rank"))
                   .select_from(index).where(literal_column(INDEX).op("MATCH")(phrase))
                   .cte("matches").prefix_with("MATERIALIZED"))
        return matches, matches.c.rank.asc()
    query = func.to_tsquery(literal_column("'simple'"), " & ".join(f"{word}:*" for word in query_words))
    document = literal_column("document")
    matches = (select(literal_column("resource_id").label("resource_id"),
                      func.ts_rank(document, query).label("rank"))
               .select_from(index).where(document.op("@@")(query)).subquery("matches"))
    return matches, matches.c.rank.desc()


def search(person, filters: Filters = Filters(), *, dialect: str | None = None) -> Select:
    """The statement listing the resources `person` may see that match `filters`: best match first when
    there are words, else newest first. Paginate it (db.paginate) or run it."""
    statement = select(LibraryResource).where(visible_to(person))
    for column, value in ((LibraryResource.topic_id, filters.topic_id),
                          (LibraryResource.language, filters.language), (LibraryResource.kind, filters.kind),
                          (LibraryResource.activity_id, filters.activity_id),
                          (LibraryResource.programme_id, filters.programme_id)):
        if value is not None and value != "":
            statement = statement.where(column == value)
    query_words = words(filters.words)[:MAX_WORDS]
    order = (LibraryResource.created_at.desc(), LibraryResource.id.desc())
    if not query_words:
        return statement.order_by(*order)
    dialect = dialect or db.session.get_bind().dialect.name
    matches, rank = _match(dialect, query_words)
    return (statement.join(matches, matches.c.resource_id == LibraryResource.id)
            .order_by(rank, *order))

