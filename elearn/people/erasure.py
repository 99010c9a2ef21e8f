"""Erasing a person on request: what reports count stays, anonymised; everything else about them goes.

Registrations, attendance, course enrolments and the political side history stay,
pointing at the person's row, which keeps only what reports count (parliament, kind,
gender, side): participation reports give the same figures before and after. The
rest of their own rows is deleted (people.holdings says which, table by table), mail
to their address is deleted, and their name and address are replaced wherever else
they appear in text (mails about them, notes, the audit log's details). The audit
row says who erased whom and how many rows went, never what they held.
"""
from __future__ import annotations

import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import JSON, Column, Enum, String, Table, Text, cast, delete, func, or_, select, update

from elearn.access import Role
from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.database import rolls_back_on, utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.people.holdings import PERSON_KEPT, Erasure, is_secret
from elearn.people.models import PasswordResetRequest, Person
from elearn.people.personal_data import Section, undescribed, walk
from elearn.people.services import password_changed

ERASED = "[erased]"
# Person columns an erasure sets to a given value (the rest not kept for reports are emptied).
ANONYMOUS = {"role": Role.LEARNER, "is_active": False, "preferred_language": "en", "timezone": "UTC"}

# Sent just before a person is erased, so that higher features can let go of them first without being
# imported here (scheduling gives up their places at activities that have not started: others move up).
# A receiver may commit; the erasure itself is one transaction after it.
person_erasing = Namespace().signal("person-erasing")


class ErasureError(Exception):
    """The person cannot be erased (yet); the message is for the administrator."""


@dataclass(frozen=True)
class ErasurePlan:
    kept: dict[str, int]       # section label -> rows kept, anonymised
    deleted: dict[str, int]    # section label -> rows deleted
    mails: int                 # mails to the person's address, deleted


def _check(person: Person, actor) -> list[Section]:
    if person.erased_at is not None:
        raise ErasureError(_("This person's data is already erased."))
    if person.id == getattr(actor, "id", None):
        raise ErasureError(_("You cannot erase your own account."))
    _emptied()  # raises before anything is done if a person column cannot be emptied
    missing = undescribed()
    if missing:
        raise ErasureError(_("Erasure is not possible until these tables are described in people/holdings.py: "
                             "%(tables)s.", tables=", ".join(f"{t}.{c}" for t, c in missing)))
    return walk(person)


def _mail_to(person: Person):
    return OutboxMessage.to_address == person.email


def plan(person: Person, actor) -> ErasurePlan:
    """What erase() would do to `person`, counted; raises ErasureError if it would refuse. Reads only."""
    sections = _check(person, actor)
    kept, deleted = Counter(), Counter()
    for section in sections:
        (kept if section.holding.erase == Erasure.KEEP else deleted)[section.label] += len(section.rows)
    mails = db.session.scalar(select(db.func.count(OutboxMessage.id)).where(_mail_to(person)))
    return ErasurePlan(kept=dict(kept), deleted=dict(deleted), mails=mails)


def consequences(erasure: ErasurePlan) -> list[str]:
    """The confirmation page's sentences."""
    def listed(counts: dict[str, int]) -> str:
        return "; ".join(f"{label}: {count}" for label, count in counts.items())

    lines = [_("The name, email address, position and password are removed. The account can no longer sign in, "
               "and its email address can be used for a new account.")]
    if erasure.kept:
        lines.append(_("Kept without the name, so that participation reports keep their figures (with the "
                       "parliament, kind, gender and political side): %(rows)s.", rows=listed(erasure.kept)))
    deleted = dict(erasure.deleted)
    if erasure.mails:
        deleted[_("Mail sent to them")] = erasure.mails
    if deleted:
        lines.append(_("Deleted: %(rows)s.", rows=listed(deleted)))
    lines.append(_("Wherever else the name or address appears (mails about them, notes, the audit log), it is "
                   "replaced by %(mark)s. This cannot be undone.", mark=ERASED))
    return lines


def _rows_counted(sections: list[Section]) -> tuple[Counter, Counter]:
    kept, deleted = Counter(), Counter()
    for section in sections:
        (kept if section.holding.erase == Erasure.KEEP else deleted)[section.key] += len(section.rows)
    return kept, deleted


def _delete_and_clear(sections: list[Section]) -> None:
    # Children before parents: quiz answers before their attempts, attempts before nothing they need.
    position = {table.name: index for index, table in enumerate(db.metadata.sorted_tables)}
    for section in sorted(sections, key=lambda s: -position[s.table]):
        table = db.metadata.tables[section.table]
        referring = table.c[section.column]
        values = sorted({row[section.column] for row in section.rows})
        if section.holding.erase == Erasure.DELETE:
            db.session.execute(delete(table).where(referring.in_(values)))
        elif section.holding.clear:
            db.session.execute(update(table).where(referring.in_(values))
                               .values({name: "" for name in section.holding.clear}))


def _is_text(column: Column) -> bool:
    return (isinstance(column.type, JSON) or
            (isinstance(column.type, String) and not isinstance(column.type, Enum))) and not is_secret(column.name)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _replaced(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_replaced(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, pattern) for key, item in value.items()}
    return value


def _probe(needle: str) -> str:
    """What a LIKE looks for to find `needle` in any case on both databases: SQLite's lower() folds ASCII
    letters only, so its longest ASCII run (the regular expression then decides, whatever the case)."""
    longest = max(re.findall(r"[\x00-\x7f]+", needle), key=len, default="")
    return (longest if len(longest.strip()) >= 3 else needle).lower()


def _scrub_column(table: Table, column: Column, needles: list[str], pattern: re.Pattern) -> int:
    variants = {_probe(needle) for needle in needles}
    if isinstance(column.type, JSON):  # stored as JSON text, where non-ASCII letters are escaped
        variants |= {json.dumps(variant)[1:-1] for variant in variants}
    keys = list(table.primary_key.columns)
    searched = func.lower(cast(column, Text))
    found = select(*keys, column).where(or_(*(searched.like(_like(v), escape="\\") for v in variants)))
    changed = 0
    for row in db.session.execute(found).all():
        value = row[-1]
        new = _replaced(value, pattern)
        if new != value:
            db.session.execute(update(table).where(*(key == row[i] for i, key in enumerate(keys)))
                               .values({column.name: new}))
            changed += 1
    return changed


def scrub(needles: list[str], *, skip: tuple[str, ...] = ("person",)) -> int:
    """Replace each of `needles` (whole words, any case) by ERASED in every text column; the number of values changed."""
    needles = [needle for needle in needles if needle.strip()]
    if not needles:
        return 0
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(needle)}(?!\w)" for needle in needles), re.IGNORECASE)
    return sum(_scrub_column(table, column, needles, pattern)
               for table in db.metadata.sorted_tables if table.name not in skip
               for column in table.columns if _is_text(column))


def _blank(column: Column):
    """What a person column holds after erasure: nothing, or its plain default."""
    if column.nullable:
        return None
    default = column.default
    if default is not None and default.is_scalar:
        return default.arg
    raise ErasureError(_("Erasure does not know how to empty person.%(column)s: describe it in "
                         "people/erasure.py.", column=column.name))


def _emptied() -> dict:
    fixed = {"email", "full_name", "session_key", "erased_at", *ANONYMOUS}
    return {column.name: _blank(column) for column in Person.__table__.columns
            if column.name not in PERSON_KEPT and column.name not in fixed}


def _anonymise(person: Person) -> None:
    """Keep only what reports count (holdings.PERSON_KEPT); every other column is emptied, new ones included."""
    table = Person.__table__
    fixed = {"email": f"erased-{person.id}@erased.invalid", "full_name": f"{ERASED} #{person.id}",
             "session_key": secrets.token_urlsafe(24), "erased_at": utcnow(), **ANONYMOUS}
    db.session.execute(update(table).where(table.c.id == person.id).values({**_emptied(), **fixed}))
    db.session.expire(person)


@rolls_back_on(ErasureError)
def erase(person: Person, *, actor) -> dict:
    """Erase `person` as described above, audited, in one transaction; returns the audit row's details."""
    _check(person, actor)
    person_erasing.send(person)
    sections = _check(person, actor)
    kept, deleted = _rows_counted(sections)
    # Listeners retire what hangs on the password: calendar addresses and their cached feeds.
    password_changed.send(person)
    _delete_and_clear(sections)
    mails = db.session.execute(delete(OutboxMessage).where(_mail_to(person))).rowcount
    # The forgot-password form's queue holds the address typed, with no link to the person.
    db.session.execute(delete(PasswordResetRequest).where(PasswordResetRequest.email == person.email))
    scrubbed = scrub([person.email, person.full_name])
    _anonymise(person)
    details = {"kept": dict(sorted(kept.items())), "deleted": dict(sorted(deleted.items())),
               "mails_deleted": mails, "values_scrubbed": scrubbed}
    audit(AuditAction.PERSON_ERASED, actor=actor, object_type="person", object_id=person.id, details=details)
    db.session.commit()
    return details

