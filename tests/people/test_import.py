"""Importing people from CSV: a preview first, every bad line explained, then all or nothing."""
from __future__ import annotations

import io
from zoneinfo import available_timezones

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from elearn import i18n
from elearn.extensions import db
from elearn.people.importing import ImportFileError, check_csv, import_people
from elearn.people.models import Person, PersonKind
from tests import factories
from tests.helpers import count_queries, csrf_token, text
from tests.people import form_on, link_in, outbox

CONFIRM = "/admin/people/import/confirm"

GOOD_CSV = (
    "email,full_name,kind,parliament,timezone,preferred_language\n"
    "Karma.Dorji@Example.org,Karma Dorji,MP,BT,Asia/Thimphu,en\n"
    "chikondi@example.org,Chikondi Banda,Fonctionnaire,Parliament of Malawi,Africa/Blantyre,fr\n"
)


@pytest.fixture
def parliaments(app, people):
    return {"bhutan": factories.make_parliament(name_en="Parliament of Bhutan", country_code="BT"),
            "malawi": factories.make_parliament(name_en="Parliament of Malawi", country_code="MW")}


def upload(client, raw: bytes, *, invitations: bool = False, filename: str = "people.csv"):
    data = {"csrf_token": csrf_token(client, "/admin/people/import"),
            "file": FileStorage(io.BytesIO(raw), filename=filename, content_type="text/csv")}
    if invitations:
        data["send_invitations"] = "y"
    # Encoded here, in memory: the test client spools big bodies to a temporary file it never closes.
    boundary, body = encode_multipart(data)
    return client.post("/admin/people/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def confirm(client, preview):
    """Press the preview's "Import these people" button."""
    return client.post(CONFIRM, data=form_on(text(preview), CONFIRM), follow_redirects=True)


def person(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == email))


def people_count() -> int:
    return db.session.scalar(select(func.count(Person.id)))


def test_a_good_file_is_previewed_then_imported(admin_client, parliaments):
    before = people_count()

    preview = upload(admin_client, GOOD_CSV.encode())

    page = text(preview)
    assert "2 people ready to import" in page
    assert "Karma Dorji" in page and "Chikondi Banda" in page
    assert "Import these people" in page
    assert people_count() == before  # a preview saves nothing

    response = confirm(admin_client, preview)

    assert "2 people imported." in text(response)
    karma, chikondi = person("karma.dorji@example.org"), person("chikondi@example.org")
    assert (karma.parliament_id, karma.kind, karma.timezone) == (
        parliaments["bhutan"].id, PersonKind.MP, "Asia/Thimphu")  # by country code
    assert (chikondi.parliament_id, chikondi.kind, chikondi.preferred_language) == (
        parliaments["malawi"].id, PersonKind.STAFF, "fr")  # by name, and a French word for the kind
    assert outbox() == []


def test_a_file_with_a_byte_order_mark_and_semicolons_is_read(admin_client, parliaments):
    raw = "\ufeffemail;full_name;parliament\r\nsonam@example.org;Sonam Wangchuk;parliament of bhutan\r\n"

    preview = upload(admin_client, raw.encode("utf-8"))
    assert "Sonam Wangchuk" in text(preview) and "Import these people" in text(preview)
    confirm(admin_client, preview)

    sonam = person("sonam@example.org")
    assert (sonam.full_name, sonam.parliament_id) == ("Sonam Wangchuk", parliaments["bhutan"].id)


BAD_CSV = (
    "email,full_name,kind,parliament,timezone\n"
    "learner@example.org,Already Here,staff,GM,UTC\n"          # 2: in the database already
    "fine@example.org,Fine Person,staff,GM,UTC\n"              # 3: good
    "FINE@example.org,Same Again,staff,GM,UTC\n"               # 4: twice in the file
    "lost@example.org,Lost Person,staff,Atlantis,UTC\n"        # 5
    "odd@example.org,Odd Kind,senator,GM,UTC\n"                # 6
    "not-an-email,Bad Email,staff,GM,UTC\n"                    # 7
    "zone@example.org,Bad Zone,staff,GM,Mars/Olympus_Mons\n"   # 8
    "nameless@example.org,,staff,GM,UTC\n"                     # 9
)

EXPECTED_PROBLEMS = [
    "line 2, email: already used by another account",
    "line 4, email: also on line 3 of this file",
    "line 5, parliament: unknown parliament “Atlantis”",
    "line 6, kind: unknown kind “senator” (mp, staff, officer, expert)",
    "line 7, email: not a valid email address",
    "line 8, timezone: unknown timezone Mars/Olympus_Mons",
    "line 9, full_name: a name is required",
]


def test_every_bad_line_is_reported_and_nothing_can_be_imported(admin_client, parliaments):
    before = people_count()

    preview = upload(admin_client, BAD_CSV.encode())

    page = text(preview)
    assert "Nothing can be imported until these problems are fixed" in page
    for problem in EXPECTED_PROBLEMS:
        assert f"<li>{problem}</li>" in page
    assert page.count("<li>line ") == len(EXPECTED_PROBLEMS)
    assert "Import these people" not in page

    # Posting the file to the confirm step anyway imports nobody.
    forced = admin_client.post(CONFIRM, data={"csrf_token": csrf_token(admin_client, "/admin/people/import"),
                                              "csv_text": BAD_CSV, "send_invitations": "1"},
                               follow_redirects=True)

    assert "The file has problems; nothing was imported." in text(forced)
    assert people_count() == before
    assert person("fine@example.org") is None
    assert outbox() == []


def test_import_people_saves_nobody_when_the_last_line_is_bad(app, parliaments):
    before = people_count()
    csv_text = GOOD_CSV + "broken@example.org,Broken Line,staff,Nowhere,UTC\n"

    with pytest.raises(ImportFileError, match="nothing was imported"):
        import_people(csv_text, send_invitations=True)

    db.session.rollback()
    assert people_count() == before
    assert person("karma.dorji@example.org") is None
    assert outbox() == []


def test_a_country_code_shared_by_two_chambers_is_not_guessed(admin_client, people):
    factories.make_parliament(name_en="French National Assembly", country_code="FR", chamber_name="National Assembly")
    senate = factories.make_parliament(name_en="French Senate", country_code="FR", chamber_name="Senate")
    raw = ("email,full_name,parliament\n"
           "ambiguous@example.org,Claire Martin,FR\n"
           "senator@example.org,Paul Durand,French Senate\n").encode()

    page = text(upload(admin_client, raw))

    assert "line 2, parliament: “FR” matches more than one parliament; use its name" in page
    assert "Paul Durand" in page  # the line naming the chamber is fine
    assert "Import these people" not in page
    assert person("senator@example.org") is None
    assert senate.country_code == "FR"


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(admin_client, people):
    limit = admin_client.application.config["CSV_IMPORT_MAX_BYTES"]
    raw = GOOD_CSV.encode() + b"x" * (limit + 1 - len(GOOD_CSV.encode()))

    page = text(upload(admin_client, raw))

    assert f"The file is {limit // 1024 + 1} KB; the limit is {limit // 1024} KB. Split it into smaller files." in page
    assert person("chikondi@example.org") is None


def test_an_upload_over_the_request_limit_gets_the_too_large_page(admin_client, people):
    raw = b"x" * (admin_client.application.config["MAX_CONTENT_LENGTH"] + 1)

    response = upload(admin_client, raw)

    assert response.status_code == 413
    assert "The upload is too large" in text(response)


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


@pytest.mark.parametrize("raw, message", [
    (PNG, "This is not a CSV text file. Save the spreadsheet as “CSV UTF-8” and try again."),
    ("email,full_name\nrene@example.org,René Côté\n".encode("latin-1"),
     "The file is not UTF-8 text (problem at byte 36). Save it as “CSV UTF-8”."),
    (b"", "The file is empty."),
    (b"email,full_name\n", "The file has a header line but no people."),
])
def test_a_file_that_is_not_utf8_csv_text_is_explained(admin_client, people, raw, message):
    response = upload(admin_client, raw)

    assert response.status_code == 200
    assert message in text(response)
    assert "Import these people" not in text(response)


def test_a_file_without_the_email_column_names_the_required_columns(admin_client, people):
    raw = b"name,parliament\nKarma Dorji,BT\n"

    page = text(upload(admin_client, raw))

    assert "The first line must name the columns; missing: email, full_name." in page
    assert "Known columns: email, full_name, kind, parliament" in page


def test_invitations_are_queued_when_asked(admin_client, parliaments):
    preview = upload(admin_client, GOOD_CSV.encode(), invitations=True)

    confirm(admin_client, preview)

    mails = {mail.to_address: mail for mail in outbox()}
    assert set(mails) == {"karma.dorji@example.org", "chikondi@example.org"}
    assert all(link_in(mail).startswith("/account/invitation/") for mail in mails.values())
    assert 'lang="fr"' in mails["chikondi@example.org"].body_html
    invitation = admin_client.application.test_client().get(link_in(mails["chikondi@example.org"]))
    assert "Choose a password to finish setting up your account." in text(invitation)


def test_import_people_works_outside_a_request(app, parliaments):
    imported = import_people(GOOD_CSV, send_invitations=True)

    assert sorted(p.email for p in imported) == ["chikondi@example.org", "karma.dorji@example.org"]
    assert sorted(mail.to_address for mail in outbox()) == ["chikondi@example.org", "karma.dorji@example.org"]


def test_values_too_long_for_their_columns_or_with_control_characters_are_reported(admin_client, people):
    # Found by tests/security/test_import_properties.py: PostgreSQL refused these rows at the import (a 500).
    long_email = "x" * 250 + "@example.org"
    raw = ("email,full_name,position\n"
           f"{long_email},Long Address,\n"
           f"long-name@example.org,{'n' * 201},\n"
           f"long-position@example.org,Long Position,{'p' * 201}\n"
           "tab\t@example.org,Tab In Address,\n"
           "bell@example.org,Bell\x07Name,\n").encode()

    page = text(upload(admin_client, raw))

    assert "line 2, email: too long (at most 254 characters)" in page
    assert "line 3, full_name: too long (at most 200 characters)" in page
    assert "line 4, position: too long (at most 200 characters)" in page
    assert "line 5, email: contains a control character, such as a line break or a tab" in page
    assert "line 6, full_name: contains a control character, such as a line break or a tab" in page
    assert "Import these people" not in page


def test_a_forged_confirmation_with_a_nul_byte_is_refused(admin_client, people):
    # Found by the same property test: PostgreSQL cannot even look up an address with a NUL in it.
    before = people_count()
    response = admin_client.post(CONFIRM, data={"csrf_token": csrf_token(admin_client, "/admin/people/import"),
                                                "csv_text": "email,full_name\nnul\x00@example.org,Nul\n"},
                                 follow_redirects=True)

    assert response.status_code == 200
    assert "This is not a CSV text file." in text(response)
    assert people_count() == before


def test_checking_a_long_file_costs_no_query_and_no_timezone_listing_per_line(app, parliaments, monkeypatch):
    # Found while fuzzing (fuzz/csv_importer.py ran at 200 files a second): the zones were listed
    # again for every line (~5 ms) and the address and parliament looked up, so a 1 MB file took minutes.
    listings = []
    monkeypatch.setattr(i18n, "available_timezones", lambda: listings.append(1) or available_timezones())
    i18n.valid_timezones.cache_clear()
    lines = "".join(f"person{n}@example.org,Person {n},staff,BT,UTC\n" for n in range(200))

    with count_queries() as counter:
        check = check_csv("email,full_name,kind,parliament,timezone\n" + lines)

    assert len(check.rows) == 200 and not check.problems
    assert counter.count <= 5, counter.statements
    assert len(listings) == 1
