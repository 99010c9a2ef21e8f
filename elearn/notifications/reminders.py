"""Reminders before a date: a list of small finders, and the runner behind `flask notify due`.

A kind of reminder is a function `finder(now) -> Iterable[Reminder]`: notifications'
own kinds are listed in REMINDER_KINDS, and a feature above notifications (cooperation's
commitments and reviews) hands its finders to `register_reminder_kind` from the app
factory, so this module imports nothing above it. A finder only says who should be reminded of what (see
notifications.once for Reminder and due_offset); the runner leaves out people
who turned reminders off, claims each reminder in the sent_reminder table and
queues the mail in the same transaction. So each reminder goes once, even if
`flask notify due` runs twice or on two machines at once.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable, Iterable

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.database import utcnow
from elearn.extensions import db
from elearn.notifications.induction import induction_invitations
from elearn.notifications.models import OptionalMail
from elearn.notifications.once import Finder, Reminder, ReminderReport, deliver_once, due_offset, not_yet_sent
from elearn.people.models import Person
from elearn.scheduling.display import Place, session_lines
from elearn.scheduling.models import Activity, ActivityStatus, Registration, RegistrationState
from elearn.urls import absolute_url


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
                    place=Place.of(activity),
                    link=absolute_url("scheduling.activity", activity_id=activity.id))

    return context


REMINDER_KINDS: list[Finder] = [activity_reminders, induction_invitations]
_REGISTERED_KINDS = "hemicycle.reminder_kinds"


def register_reminder_kind(app: Flask, finder: Finder) -> None:
    """Add a feature's finder to those `flask notify due` runs (called by the app factory)."""
    app.extensions.setdefault(_REGISTERED_KINDS, []).append(finder)


def all_kinds() -> list[Finder]:
    return [*REMINDER_KINDS, *current_app.extensions.get(_REGISTERED_KINDS, [])]


def send_reminders(now: datetime | None = None, kinds: Iterable[Finder] | None = None) -> ReminderReport:
    """Queue every due reminder of every kind, each once; one transaction per reminder."""
    now = now or utcnow()
    report = ReminderReport()
    for finder in (all_kinds() if kinds is None else kinds):
        found = not_yet_sent(list(finder(now)))
        db.session.commit()  # end the search's transaction: each claim starts a fresh one
        for reminder in found:
            if deliver_once(reminder, OptionalMail.REMINDERS):
                report.queued += 1
            else:
                report.skipped += 1
    return report
