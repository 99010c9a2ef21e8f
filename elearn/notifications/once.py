"""Mail that must go once only: reminders and digests, keyed in sent_reminder.

A Reminder names its once-only key (kind, object, person, offset) and how to
write its mail. deliver_once inserts the key as the first statement of a
transaction, queues the mail and commits: a second runner inserting the same
key waits for the first (PostgreSQL's unique index, SQLite's write lock), then
fails on the unique constraint and rolls its copy back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.database import utcnow
from elearn.extensions import db
from elearn.notifications.models import OptionalMail, SentReminder
from elearn.notifications.services import queue_optional_mail, wants
from elearn.people.models import Person


@dataclass(frozen=True)
class Reminder:
    """One reminder that is due: its once-only key and how to write it."""

    kind: str                  # key part, e.g. "activity", "commitment", "review"
    object_id: int             # key part: the activity, commitment or review
    person_id: int             # key part: who is reminded
    offset_days: int           # key part: which of the reminders before the date
    template: str              # templates/mail/<template>.{subject.txt,txt,html}
    # Called inside the claiming transaction (after the commit of the previous
    # reminder), so it may load what it needs; returns the template's context.
    context: Callable[[Person], dict] = field(compare=False)


Finder = Callable[[datetime], Iterable[Reminder]]


def due_offset(starts_at: datetime, now: datetime, offsets: Iterable[int]) -> int | None:
    """The offset (days before `starts_at`) whose reminder is due now, or None.

    An offset is due from its moment until the next smaller offset's moment
    (or the start). When the command has not run for a while, only the
    nearest offset goes: nobody gets a "one week before" mail the day before.
    """
    if starts_at <= now:
        return None
    passed = [days for days in offsets if starts_at - timedelta(days=days) <= now]
    return min(passed) if passed else None


@dataclass
class ReminderReport:
    queued: int = 0
    skipped: int = 0   # turned off by the person, or queued by another runner meanwhile


def claim_once(kind: str, object_id: int, person_id: int, offset_days: int = 0) -> SentReminder | None:
    """Start a transaction that owns this key, or return None if it is (being) sent by someone else.

    Call it with no transaction under way. The INSERT is the transaction's first
    statement: on PostgreSQL a second runner inserting the same key waits for
    the first to commit, then fails; on SQLite the insert waits for the write
    lock (busy_timeout), then fails on the committed row. The caller queues the
    mail and commits, or rolls back to give the reminder up.
    """
    sent = SentReminder(kind=kind, object_id=object_id, person_id=person_id, offset_days=offset_days,
                        created_at=utcnow())
    db.session.add(sent)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    return sent


def not_yet_sent(reminders: list[Reminder]) -> list[Reminder]:
    """Leave out the reminders already in sent_reminder (one query), so a re-run costs no failed inserts."""
    if not reminders:
        return []
    rows = db.session.execute(
        select(SentReminder.kind, SentReminder.object_id, SentReminder.person_id, SentReminder.offset_days)
        .where(SentReminder.kind.in_({r.kind for r in reminders}),
               SentReminder.object_id.in_({r.object_id for r in reminders})))
    sent = {tuple(row) for row in rows}
    return [r for r in reminders if (r.kind, r.object_id, r.person_id, r.offset_days) not in sent]


def deliver_once(reminder: Reminder, mail: OptionalMail) -> bool:
    """Claim the reminder and queue its mail in one transaction; False if turned off or already claimed."""
    person = db.session.get(Person, reminder.person_id)
    if person is None or not wants(person, mail):
        db.session.rollback()
        return False
    sent = claim_once(reminder.kind, reminder.object_id, reminder.person_id, reminder.offset_days)
    if sent is None:
        return False
    message = queue_optional_mail(person, mail, template=reminder.template, **reminder.context(person))
    if message is None:  # turned off a moment ago
        db.session.rollback()
        return False
    db.session.flush()
    sent.outbox_message_id = message.id
    db.session.commit()
    return True
