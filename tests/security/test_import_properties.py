"""Property tests for the CSV import of people: only its own error, and all or nothing, whatever the file."""
from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import Integer, delete, func, select

from elearn.extensions import db
from elearn.people.importing import KNOWN_COLUMNS, ImportFileError, check_csv, decode_csv, import_people
from elearn.people.models import Person
from tests import factories
from tests.helpers import csrf_token, text
from tests.people import form_on
from tests.people.test_import import CONFIRM, upload

COLUMNS = [*KNOWN_COLUMNS, "Email", " FULL_NAME ", "nickname", ""]
HOSTILE = [
    "", " ", "\"", "\"\"", "'", ",", ";", "\t", "\n", "\r\n", "\r", "\x00", "\x1b[31m", "\x7f", "\u202e", "\ufeff",
    "\u2028", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "x" * 300, "é" * 130, "İ", "ẞ", "Σ",
]
VALUES = [
    "learner@example.org", "LEARNER@example.org", "not-an-email", "@example.org", "a b@example.org",
    "a\tb@example.org", "Karma Dorji", "mp", "MP", "Fonctionnaire", "senator", "expert", "admin", "focal_point",
    "learner", "BT", "bt", "FR", "GM", "Atlantis", "National Assembly of The Gambia", "French Senate",
    "Asia/Thimphu", "UTC", "Mars/Olympus_Mons", "en", "fr", "xx", "female", "government", "2020-01-31",
    "2020-02-30", "31/01/2020",
]
# Valid addresses, unique within a file (the tests add an index); sometimes far too long.
LOCAL_PARTS = st.one_of(st.from_regex(r"[a-z][a-z0-9.+-]{0,12}", fullmatch=True), st.just("x" * 260))
CELLS = st.one_of(st.sampled_from(VALUES), st.sampled_from(HOSTILE), st.text(max_size=12),
                  LOCAL_PARTS.map(lambda local: f"{local}@example.org"))


@st.composite
def csv_files(draw) -> bytes:
    """A CSV file as an admin might upload it: good, bad, or damaged on the way."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))  # anything at all
    header = draw(st.one_of(
        st.just(["email", "full_name"]),
        st.lists(st.sampled_from(KNOWN_COLUMNS), min_size=2, max_size=6, unique=True).map(
            lambda cols: ["email", "full_name", *[c for c in cols if c not in ("email", "full_name")]]),
        st.lists(st.sampled_from(COLUMNS), max_size=8),  # maybe missing columns, duplicates, unknown ones
    ))
    rows = []
    for index in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):  # a good line
            row = {"email": draw(LOCAL_PARTS.filter(lambda x: len(x) < 40)) + f"{index}@example.org",
                   "full_name": f"Person {index}", "kind": draw(st.sampled_from(["mp", "staff", "expert", ""])),
                   "parliament": draw(st.sampled_from(["BT", "GM", "French Senate", ""])),
                   "timezone": draw(st.sampled_from(["UTC", "Asia/Thimphu", ""])),
                   "preferred_language": draw(st.sampled_from(["en", "fr", ""]))}
            cells = [row.get(column.strip().lower(), "") for column in header]
        else:  # anything, with too few or too many values
            cells = draw(st.lists(CELLS, max_size=len(header) + 2))
        rows.append(cells)
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline,
                            quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
        writer.writerow(header)
        writer.writerows(rows)
        content = buffer.getvalue()
    else:  # written by hand, quotes and all left as they are
        content = newline.join(delimiter.join(cells) for cells in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    raw = bytearray(content.encode(encoding, errors="replace"))
    for position, byte in draw(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=2)):
        raw.insert(position % (len(raw) + 1), byte)  # a damaged byte or two
    return bytes(raw)


def table_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


@pytest.fixture
def start_state(app, people):
    """Parliaments the files may name (one country code is shared by two chambers); the highest ids so far."""
    factories.make_parliament(name_en="Parliament of Bhutan", country_code="BT")
    factories.make_parliament(name_en="French National Assembly", country_code="FR", chamber_name="National Assembly")
    factories.make_parliament(name_en="French Senate", country_code="FR", chamber_name="Senate")
    # Tables keyed by a growing integer (an evaluation response's key is random text: none is made here).
    return {table.name: db.session.scalar(select(func.max(table.c.id))) or 0
            for table in db.metadata.sorted_tables
            if "id" in table.c and isinstance(table.c.id.type, Integer)}


def forget_new_rows(start_state: dict[str, int]) -> None:
    """Back to the fixture's rows, so every example starts from the same database."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        if table.name in start_state:
            db.session.execute(delete(table).where(table.c.id > start_state[table.name]))
    db.session.commit()


def assert_all_or_nothing(before: dict[str, int], imported: list[Person] | None) -> None:
    db.session.rollback()
    after = table_counts()
    if imported is None:
        assert after == before, "a refused import changed the database"
    else:
        assert after["person"] == before["person"] + len(imported)
        emails = [p.email for p in imported]
        assert db.session.scalar(select(func.count(Person.id)).where(Person.email.in_(emails))) == len(emails)


IMPORTED_RE = re.compile(r"\d+ (?:person|people) imported\.")
SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=150, deadline=None, suppress_health_check=SUPPRESS)
@given(raw=csv_files(), invitations=st.booleans())
@example(raw=b"email,full_name\nnew@example.org,New Person\n", invitations=True)
@example(raw=b"email,full_name\nnew@example.org,New Person\nlearner@example.org,Here Already\n", invitations=True)
@example(raw=b"email,full_name,kind\n" + b"x" * 300 + b"@example.org,Far Too Long,mp\n", invitations=False)
@example(raw=b"email,full_name,position\nlong@example.org,Long Position," + b"n" * 201 + b"\n", invitations=False)
@example(raw=b"email,full_name\nlong@example.org," + b"n" * 201 + b"\n", invitations=False)
@example(raw=b"email,full_name\n\xef\xbb\xbfa\tb@example.org,Tab In Address\n", invitations=False)
@example(raw='"email","full_name"\r\n"x""y@example.org","Quote\r\nIn Name"\r\n'.encode(), invitations=False)
def test_the_csv_import_raises_only_its_own_error_and_saves_all_or_nothing(start_state, raw, invitations):
    before = table_counts()
    imported = None
    try:
        csv_text = decode_csv(raw)
        check = check_csv(csv_text)
        note(f"rows={len(check.rows)} problems={check.problems}")
        assert table_counts() == before, "checking a file wrote to the database"
        imported = import_people(csv_text, send_invitations=invitations)
        assert check.ok, "a file with problems was imported"
        assert len(imported) == len(check.rows)
    except ImportFileError:
        pass
    assert_all_or_nothing(before, imported)
    forget_new_rows(start_state)


# The confirm step posts the previewed text back; a forged post can send any text at all.
TEXTS = st.one_of(csv_files().map(lambda raw: raw.decode("utf-8", errors="replace")),
                  st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))


@settings(max_examples=100, deadline=None, suppress_health_check=SUPPRESS)
@given(csv_text=TEXTS)
@example(csv_text="email,full_name\nnul\x00@example.org,Null Byte\n")
@example(csv_text="email,full_name\nnul@example.org,Null\x00Byte\n")
def test_any_text_given_to_import_people_raises_only_its_own_error(start_state, csv_text):
    before = table_counts()
    imported = None
    try:
        imported = import_people(csv_text, send_invitations=True)
    except ImportFileError:
        pass
    assert_all_or_nothing(before, imported)
    forget_new_rows(start_state)


@settings(max_examples=30, deadline=None, suppress_health_check=SUPPRESS)
@given(raw=csv_files(), forged=TEXTS)
@example(raw=b"email,full_name\nnew@example.org,New Person\n", forged="email,full_name\nnul\x00@example.org,N\n")
def test_uploading_any_file_as_an_admin_never_fails_and_never_half_saves(start_state, admin_client, raw, forged):
    before = table_counts()
    preview = upload(admin_client, raw, invitations=True)
    assert preview.status_code == 200
    assert table_counts() == before, "the preview wrote to the database"
    page = text(preview)
    imported = None
    if "Import these people" in page:
        response = admin_client.post(CONFIRM, data=form_on(page, CONFIRM), follow_redirects=True)
        assert response.status_code == 200
        if IMPORTED_RE.search(text(response)):
            imported = db.session.scalars(select(Person).where(Person.id > start_state["person"])).all()
            assert imported, "the page says people were imported, but nobody was"
    assert_all_or_nothing(before, imported)
    forget_new_rows(start_state)

    # The confirm step, posted with any text instead of the previewed one.
    response = admin_client.post(CONFIRM, data={"csrf_token": csrf_token(admin_client, "/admin/people/import"),
                                                "csv_text": forged, "send_invitations": "1"})
    assert response.status_code in (200, 302)
    imported = db.session.scalars(select(Person).where(Person.id > start_state["person"])).all() or None
    assert_all_or_nothing(before, imported)
    forget_new_rows(start_state)
