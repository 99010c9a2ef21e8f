"""Everything Hemicycle holds about one person, found by walking the foreign keys of every table.

The walk starts at the person's row and follows every foreign key that refers to it;
rows that are the person's own (people.holdings) are followed in turn (a registration
leads to its attendance). Two kinds of rows refer to a person without a foreign key and
are added by name: audit events about them and mail addressed to them. Secrets
(holdings.is_secret) are left out everywhere.
"""
from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_pgettext as _lp
from sqlalchemy import Column, Table, select

from elearn.audit.models import AuditAction, AuditEvent
from elearn.audit.services import record as audit
from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.people.holdings import HOLDINGS, Holding, is_secret
from elearn.people.models import Person

# How deep the walk follows rows of the person's own (person -> enrolment -> attempt -> answer).
MAX_DEPTH = 4
AUDIT_ABOUT = ("audit_event", "object_id")
MAIL_TO = ("outbox_message", "to_address")
AUDIT_ABOUT_SHOWN = ("occurred_at", "action", "details")
MAIL_SHOWN = ("created_at", "kind", "subject", "status", "sent_at")


@dataclass
class Section:
    """The rows of one table that refer to the person through one column."""

    table: str
    column: str
    holding: Holding | None  # None: a reference nobody described yet (shown under its table's name)
    rows: list[dict] = field(default_factory=list)
    title: object = None  # for the rows found without a foreign key

    @property
    def key(self) -> str:
        return f"{self.table}.{self.column}"

    @property
    def label(self) -> str:
        if self.title is not None:
            return str(self.title)
        return str(self.holding.label) if self.holding else self.table.replace("_", " ").capitalize()


@dataclass
class PersonalData:
    person_id: int
    account: dict
    sections: list[Section]


def references_to(table_name: str) -> Iterator[tuple[Table, Column, Column]]:
    """(table, referring column, referred column) for every foreign key to `table_name`, in a stable order."""
    keys = sorted((key for table in db.metadata.tables.values() for key in table.foreign_keys
                   if key.column.table.name == table_name),
                  key=lambda key: (key.parent.table.name, key.parent.name))
    for key in keys:
        yield key.parent.table, key.parent, key.column


def visible_columns(table: Table, holding: Holding | None) -> list[Column]:
    columns = [column for column in table.columns if not is_secret(column.name)]
    if holding is not None and not holding.own:
        columns = [column for column in columns if column.name in holding.shown]
    return columns


def _walk(table_name: str, values: dict[str, set], depth: int, found: list[Section]) -> None:
    for table, referring, referred in references_to(table_name):
        wanted = values.get(referred.name)
        if not wanted:
            continue
        holding = HOLDINGS.get((table.name, referring.name))
        rows = db.session.execute(select(table).where(referring.in_(sorted(wanted)))
                                  .order_by(*table.primary_key.columns)).mappings().all()
        if not rows:
            continue
        found.append(Section(table.name, referring.name, holding, [dict(row) for row in rows]))
        if holding is not None and holding.own and depth < MAX_DEPTH:
            referred_names = {referred.name for _table, _referring, referred in references_to(table.name)}
            child_values = {name: {row[name] for row in rows} - {None} for name in referred_names}
            _walk(table.name, child_values, depth + 1, found)


def _shown(row: dict, columns: tuple[str, ...]) -> dict:
    return {name: row[name] for name in columns}


def _extra_sections(person: Person) -> list[Section]:
    """Rows that name the person without a foreign key: audit events about them, mail to their address."""
    about = db.session.execute(select(AuditEvent.__table__).where(
        AuditEvent.object_type == "person", AuditEvent.object_id == person.id).order_by(AuditEvent.id)).mappings()
    mail = db.session.execute(select(OutboxMessage.__table__).where(
        OutboxMessage.to_address == person.email).order_by(OutboxMessage.id)).mappings()
    return [Section(*AUDIT_ABOUT, None, [_shown(row, AUDIT_ABOUT_SHOWN) for row in about],
                    title=_lp("personal data", "Audit log entries about you")),
            Section(*MAIL_TO, None, [_shown(row, MAIL_SHOWN) for row in mail], title=_lp("personal data", "Mail sent to you"))]


def walk(person: Person) -> list[Section]:
    """Every row referring to the person through a foreign key, own rows followed, in the holdings' order."""
    found: list[Section] = []
    _walk("person", {"id": {person.id}}, 1, found)
    order = {key: index for index, key in enumerate(HOLDINGS)}
    found.sort(key=lambda section: order.get((section.table, section.column), len(order)))
    return found


def collect(person: Person) -> PersonalData:
    """What Hemicycle holds about `person`, secrets left out; reads only."""
    person_table = Person.__table__
    account = dict(db.session.execute(select(person_table).where(person_table.c.id == person.id)).mappings().one())
    account = {name: value for name, value in account.items() if not is_secret(name)}
    sections = []
    for section in walk(person):
        names = [column.name for column in visible_columns(db.metadata.tables[section.table], section.holding)]
        section.rows = [_shown(row, tuple(names)) for row in section.rows]
        sections.append(section)
    sections.extend(section for section in _extra_sections(person) if section.rows)
    return PersonalData(person_id=person.id, account=account, sections=sections)


def undescribed() -> list[tuple[str, str]]:
    """References the walk can reach that people.holdings does not describe yet (erasure refuses while any is)."""
    missing, seen, queue = [], {"person"}, ["person"]
    while queue:
        for table, referring, _referred in references_to(queue.pop()):
            holding = HOLDINGS.get((table.name, referring.name))
            if holding is None:
                missing.append((table.name, referring.name))
            elif holding.own and table.name not in seen:
                seen.add(table.name)
                queue.append(table.name)
    return sorted(set(missing))


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return None  # files are never personal data here; their size would only add noise
    return value


def as_json(data: PersonalData) -> str:
    document = {
        "generated_at": utcnow().isoformat(),
        "person": {name: _plain(value) for name, value in data.account.items()},
        "sections": [{"table": section.table, "via": section.column, "label": section.label,
                      "rows": [{name: _plain(value) for name, value in row.items()} for row in section.rows]}
                     for section in data.sections],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str)


def export(person: Person, *, actor, form: str) -> PersonalData:
    """Collect the person's data for `actor` and write the audit row (who exported whose data, how); commits."""
    data = collect(person)
    audit(AuditAction.PERSONAL_DATA_EXPORTED, actor=actor, object_type="person", object_id=person.id,
          details={"format": form})
    db.session.commit()
    return data
