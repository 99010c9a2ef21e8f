"""Bulk import of people from a CSV file: check everything, then save all or nothing."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.access import Role
from elearn.extensions import db
from elearn.people.models import Gender, Parliament, Person, PersonKind, PoliticalSide
from elearn.people.services import (
    PersonData,
    apply_person_data,
    audit_new_role,
    check_person_data,
    send_invitation,
)
from elearn.validation import Rule, check_fields, normalise_email

REQUIRED_COLUMNS = ("email", "full_name")
KNOWN_COLUMNS = REQUIRED_COLUMNS + (
    "kind", "parliament", "role", "position", "preferred_language", "timezone",
    "gender", "political_side", "term_started_on",
)

# Accept the words people write in a spreadsheet, in English and French.
KIND_WORDS = {
    "mp": PersonKind.MP, "member of parliament": PersonKind.MP, "député": PersonKind.MP,
    "depute": PersonKind.MP, "parlementaire": PersonKind.MP,
    "staff": PersonKind.STAFF, "parliamentary staff": PersonKind.STAFF, "fonctionnaire": PersonKind.STAFF,
    "personnel": PersonKind.STAFF,
    "officer": PersonKind.OFFICER, "cooperation officer": PersonKind.OFFICER,
    "expert": PersonKind.EXPERT, "external expert": PersonKind.EXPERT,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (size, encoding, not a CSV, missing columns)."""


@dataclass
class ImportRow:
    line: int
    data: PersonData


@dataclass
class ImportCheck:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    delimiter: str = ","

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _not_csv_text() -> ImportFileError:
    return ImportFileError(_("This is not a CSV text file. Save the spreadsheet as “CSV UTF-8” and try again."))


def decode_csv(raw: bytes) -> str:
    limit = current_app.config["CSV_IMPORT_MAX_BYTES"]
    if len(raw) > limit:
        # Rounded up, so a file just over the limit does not read as "1024 KB; the limit is 1024 KB".
        raise ImportFileError(_("The file is %(size)d KB; the limit is %(limit)d KB. Split it into smaller files.",
                                size=-(-len(raw) // 1024), limit=limit // 1024))
    if not raw.strip():
        raise ImportFileError(_("The file is empty."))
    if b"\x00" in raw:
        raise _not_csv_text()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The file is not UTF-8 text (problem at byte %(pos)d). Save it as “CSV UTF-8”.",
                                pos=error.start)) from error


def _detect_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _enum_value(enum_cls, raw: str, words: dict | None = None):
    """The member `raw` names, or None."""
    value = raw.lower()
    if words and value in words:
        return words[value]
    try:
        return enum_cls(value.replace(" ", "_"))
    except ValueError:
        return None


def _iso_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


# In the index for a name or code that fits several parliaments (two chambers of one country).
AMBIGUOUS = -1


def _parliament_index(parliaments: list[Parliament]) -> dict[str, int]:
    index: dict[str, int] = {}
    for parliament in parliaments:
        keys = {parliament.name_en, parliament.name_fr, parliament.name_es, parliament.name_pt, parliament.name_ar,
                parliament.country_code}
        for key in filter(None, keys):
            key = key.strip().lower()
            index[key] = parliament.id if index.get(key, parliament.id) == parliament.id else AMBIGUOUS
    return index


def check_csv(text: str) -> ImportCheck:
    """Read and check every line; nothing is written."""
    if "\x00" in text:  # the confirm step posts the text back: it may not come from decode_csv
        raise _not_csv_text()
    first_line = text.splitlines()[0] if text else ""
    check = ImportCheck(delimiter=_detect_delimiter(first_line))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=check.delimiter)
    reader.fieldnames = _headers(reader, check)
    # Held here so that check_person_data finds them in the session instead of querying once a line.
    known_parliaments = db.session.scalars(select(Parliament)).all()
    rules = _row_rules(_parliament_index(known_parliaments))
    existing_emails = set(db.session.scalars(select(func.lower(Person.email))))
    try:
        _check_rows(reader, check, rules, existing_emails)
    except csv.Error as error:
        raise ImportFileError(_("This file cannot be read as CSV: %(error)s", error=str(error))) from error
    if not check.rows and not check.problems:
        check.problems.append(_("The file has a header line but no people."))
    return check


def _headers(reader: csv.DictReader, check: ImportCheck) -> list[str]:
    """The column names, lower-case; a file without the required ones cannot be checked further."""
    try:
        headers = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as error:
        raise ImportFileError(_("This file cannot be read as CSV: %(error)s", error=str(error))) from error
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        raise ImportFileError(_("The first line must name the columns; missing: %(columns)s. Known columns: %(known)s.",
                                columns=", ".join(missing), known=", ".join(KNOWN_COLUMNS)))
    unknown = [h for h in headers if h and h not in KNOWN_COLUMNS]
    if unknown:
        check.problems.append(_("line 1: unknown columns %(columns)s", columns=", ".join(unknown)))
    return headers


def _check_rows(reader: csv.DictReader, check: ImportCheck, rules: tuple[Rule, ...], existing_emails: set[str]) -> None:
    seen_in_file: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
            continue
        if None in record:
            check.problems.append(_("line %(line)d: more values than columns", line=line))
            continue
        row_problems, data = _row_to_data(record, rules)
        email = normalise_email(data.email) if data else normalise_email(record.get("email") or "")
        if email and email in seen_in_file:
            row_problems.append(("email", _("also on line %(other)d of this file", other=seen_in_file[email])))
        elif email:
            seen_in_file[email] = line
        if data is not None:
            row_problems.extend(check_person_data(data, taken_emails=existing_emails))
        for field_name, message in row_problems:
            check.problems.append(_("line %(line)d, %(field)s: %(message)s",
                                    line=line, field=field_name, message=message))
        if not row_problems and data is not None:
            check.rows.append(ImportRow(line=line, data=data))


def _enum_rule(column: str, enum_cls, message: str, words: dict | None = None) -> Rule:
    return Rule(column, lambda raw: _enum_value(enum_cls, raw, words) is not None,
                lambda raw: _(message, value=raw), keep=lambda raw: _enum_value(enum_cls, raw, words))


def _row_rules(parliaments: dict[str, int]) -> tuple[Rule, ...]:
    """How each column with a value is read; an empty cell takes the default in `_row_to_data`."""
    return (
        _enum_rule("kind", PersonKind, "unknown kind “%(value)s” (mp, staff, officer, expert)", KIND_WORDS),
        _enum_rule("role", Role, "unknown role “%(value)s”"),
        _enum_rule("gender", Gender, "unknown value “%(value)s”"),
        _enum_rule("political_side", PoliticalSide, "unknown value “%(value)s”"),
        Rule("parliament", lambda raw: parliaments.get(raw.lower(), AMBIGUOUS) != AMBIGUOUS,
             lambda raw: _parliament_problem(raw, parliaments), keep=lambda raw: parliaments[raw.lower()]),
        Rule("term_started_on", lambda raw: _iso_date(raw) is not None,
             lambda _raw: _("not a date (use YYYY-MM-DD)"), keep=_iso_date),
    )


def _parliament_problem(raw: str, parliaments: dict[str, int]) -> str:
    if raw.lower() not in parliaments:
        return _("unknown parliament “%(value)s”", value=raw)
    return _("“%(value)s” matches more than one parliament; use its name", value=raw)


def _row_to_data(record: dict, rules: tuple[Rule, ...]):
    cells = {name: value.strip() for name, value in record.items() if isinstance(value, str) and value.strip()}
    checked = check_fields(cells, rules)
    if checked.problems:
        return checked.problems, None
    values = checked.values
    data = PersonData(
        email=cells.get("email", ""), full_name=cells.get("full_name", ""),
        kind=values.get("kind", PersonKind.STAFF), role=values.get("role", Role.LEARNER),
        parliament_id=values.get("parliament"), position=cells.get("position", ""),
        preferred_language=cells.get("preferred_language", "").lower() or "en",
        timezone=cells.get("timezone") or "UTC", gender=values.get("gender"),
        political_side=values.get("political_side"), term_started_on=values.get("term_started_on"),
    )
    return [], data


def import_people(text: str, *, send_invitations: bool, invited_by: Person | None = None) -> list[Person]:
    """Check again, then create every person in one transaction, or none."""
    check = check_csv(text)
    if not check.ok:
        raise ImportFileError(_("The file has problems; nothing was imported."))
    people = []
    try:
        for row in check.rows:
            person = Person()
            apply_person_data(person, row.data, invited_by)
            db.session.add(person)
            people.append(person)
        db.session.flush()
        for person in people:
            audit_new_role(person, invited_by)
        if send_invitations:
            for person in people:
                send_invitation(person, invited_by, commit=False)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return people
