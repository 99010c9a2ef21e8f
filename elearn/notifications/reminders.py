"""Reminders, each queued once: a list of small finders, and one runner that claims and queues.

A kind of reminder is a function `finder(now) -> Iterable[Reminder]` listed in
REMINDER_KINDS. It only says who should be reminded of what; the runner
leaves out people who turned reminders off, claims each reminder in the
sent_reminder table (unique key: kind, object, person, offset) and queues the
mail in the same transaction. So each reminder goes once, even if
`flask notify due` runs twice or on two machines at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.database import utcnow
from elearn.extensions import db
from elearn.notifications.models import OptionalMail, SentReminder
from elearn.notifications.services import claim_once, queue_optional_mail, wants
from elearn.people.models import Person
from elearn.scheduling.display import session_lines
from elearn.scheduling.models import Activity, ActivityStatus, Registration, RegistrationState
from elearn.urls import absolute_url


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


# Kinds ------------------------------------------------------------------------

def activity_reminders(now: datetime) -> Iterable[Reminder]:
    """Confirmed participants, REMINDER_OFFSETS_DAYS before the first session of a published activity.

    A person confirmed after a reminder's moment does not get that reminder:
    their confirmation mail has just told them everything.
    """
    offsets = tuple(current_app.config["REMINDER_OFFSETS_DAYS"])
    if not offsets:
        return []
    horizon = now + timedelta(days=max(offsets))
    registrations = db.session.scalars(
        select(Registration).join(Activity)
        .where(Activity.status == ActivityStatus.PUBLISHED, Activity.starts_at > now, Activity.starts_at <= horizon,
               Registration.state == RegistrationState.CONFIRMED)
        .options(selectinload(Registration.activity))
        .order_by(Activity.starts_at, Activity.id, Registration.id)).all()
    found = []
    for registration in registrations:
        activity = registration.activity
        offset = due_offset(activity.starts_at, now, offsets)
        if offset is None or registration.updated_at > activity.starts_at - timedelta(days=offset):
            continue
        found.append(Reminder(kind="activity", object_id=activity.id, person_id=registration.person_id,
                              offset_days=offset, template="activity_reminder",
                              context=_activity_context(activity.id, now)))
    return found


def _activity_context(activity_id: int, now: datetime) -> Callable[[Person], dict]:
    def context(person: Person) -> dict:
        activity = db.session.get(Activity, activity_id)
        days = max(1, round((activity.starts_at - now) / timedelta(days=1)))
        return dict(activity=activity, days=days, zone=person.timezone,
                    when=session_lines(activity, zone=person.timezone, locale=person.preferred_language),
                    place=", ".join(p for p in (activity.venue_name, activity.venue_address, activity.venue_city) if p),
                    link=absolute_url("scheduling.activity", activity_id=activity.id))

    return context


# The list of kinds. A new kind is a finder function appended here, e.g.
# `commitment_reminders` and `review_reminders` from the cooperation package.
REMINDER_KINDS: list[Finder] = [activity_reminders]


# Runner -----------------------------------------------------------------------

@dataclass
class ReminderReport:
    queued: int = 0
    skipped: int = 0   # turned off by the person, or queued by another runner meanwhile


def send_reminders(now: datetime | None = None, kinds: Iterable[Finder] | None = None) -> ReminderReport:
    """Queue every due reminder of every kind, each once; one transaction per reminder."""
    now = now or utcnow()
    report = ReminderReport()
    for finder in (REMINDER_KINDS if kinds is None else kinds):
        found = not_yet_sent(list(finder(now)))
        db.session.commit()  # end the search's transaction: each claim starts a fresh one
        for reminder in found:
            if deliver_once(reminder, OptionalMail.REMINDERS):
                report.queued += 1
            else:
                report.skipped += 1
    return report


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
