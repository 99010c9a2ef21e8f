"""Invitations to answer, and the one reminder, mailed through the outbox by `flask notify due`.

Confirmed participants who attended (one Attendance present) are invited once the last session has
ended, and reminded once, EVALUATION_REMINDER_DAYS later, if they have not answered. The receipt's
flag is switched by a guarded UPDATE (`invited = false`) in the transaction that queues the mail:
a second run, or two runs at once, find the flag set and send nothing. Each batch is a transaction.

Installed as a finder of `flask notify due` that does its own sending and hands back no Reminder:
the receipts, not sent_reminder, say what went, and the invitation is not an optional mail a
person turns off with reminders (it is the only way they hear of the questionnaire).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from babel.dates import format_date
from flask import Flask, current_app
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from elearn.evaluation import attaching
from elearn.evaluation.models import ActivityQuestionnaire, ResponseReceipt
from elearn.evaluation.questionnaires import text_in
from elearn.extensions import db
from elearn.languages import interface_locale
from elearn.mail.services import queue_mail
from elearn.notifications.reminders import register_reminder_kind
from elearn.people.models import Person
from elearn.scheduling.models import (
    ActivitySession,
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationState,
)
from elearn.urls import absolute_url

BATCH = 50


def attendees_statement(activity_id: int):
    """Person ids of the confirmed participants with at least one attendance present."""
    return (select(Registration.person_id)
            .where(Registration.activity_id == activity_id, Registration.state == RegistrationState.CONFIRMED,
                   exists().where(Attendance.registration_id == Registration.id,
                                  Attendance.status == AttendanceStatus.PRESENT,
                                  Attendance.session_id == ActivitySession.id,
                                  ActivitySession.activity_id == activity_id)))


def attended(activity_id: int, person_id: int) -> bool:
    return person_id in set(db.session.scalars(attendees_statement(activity_id).where(
        Registration.person_id == person_id)))


def reminder_days() -> int:
    return int(current_app.config.get("EVALUATION_REMINDER_DAYS", 7))


def _ensure_receipts(attached: ActivityQuestionnaire) -> None:
    """A receipt (nothing sent yet) for each attendee who has none; committed."""
    have = set(db.session.scalars(select(ResponseReceipt.person_id)
                                  .where(ResponseReceipt.activity_questionnaire_id == attached.id)))
    missing = [pid for pid in db.session.scalars(attendees_statement(attached.activity_id)) if pid not in have]
    for person_id in missing:
        db.session.add(ResponseReceipt(activity_questionnaire_id=attached.id, person_id=person_id))
    try:
        db.session.commit()
    except IntegrityError:  # another run made them meanwhile: theirs will do
        db.session.rollback()


def _mail(attached: ActivityQuestionnaire, person: Person, template: str) -> None:
    locale = interface_locale(person.preferred_language)
    activity = attached.activity
    queue_mail(to=person.email, template=template, locale=locale, person=person, activity_title=activity.title,
               questionnaire_title=text_in(attached.questionnaire.title, locale),
               closes_on=format_date(attached.closes_at.astimezone(activity.zone).date(), "long", locale=locale),
               link=absolute_url("evaluation_answer.answer", activity_id=activity.id))


def _send_batch(attached: ActivityQuestionnaire, flag: str, template: str, waiting) -> int:
    """Switch `flag` on for up to BATCH receipts matching `waiting` and queue their mails; one transaction."""
    column = getattr(ResponseReceipt, flag)
    rows = db.session.execute(
        select(ResponseReceipt.id, ResponseReceipt.person_id)
        .where(ResponseReceipt.activity_questionnaire_id == attached.id, column.is_(False), *waiting)
        .order_by(ResponseReceipt.id).limit(BATCH)).all()
    sent = 0
    for receipt_id, person_id in rows:
        claimed = db.session.execute(update(ResponseReceipt).where(ResponseReceipt.id == receipt_id,
                                                                   column.is_(False)).values({flag: True}))
        person = db.session.get(Person, person_id)
        if claimed.rowcount != 1 or person is None or not person.is_active:
            continue
        _mail(attached, person, template)
        sent += 1
    db.session.commit()
    return len(rows)


def _send_all(attached: ActivityQuestionnaire, flag: str, template: str, *waiting) -> None:
    while _send_batch(attached, flag, template, waiting) == BATCH:
        pass


def _open(now: datetime) -> list[int]:
    return list(db.session.scalars(select(ActivityQuestionnaire.id).where(
        ActivityQuestionnaire.opens_at <= now, ActivityQuestionnaire.closes_at > now)
        .order_by(ActivityQuestionnaire.id)))


def send_due(now: datetime) -> None:
    """Attach defaults, then invite and remind for every open questionnaire, batch by batch."""
    attaching.attach_defaults(now)
    for attached_id in _open(now):
        attached = db.session.get(ActivityQuestionnaire, attached_id)
        attaching.follow_dates(attached)
        if attached.opens_at > now:  # the activity moved later since
            db.session.commit()
            continue
        _ensure_receipts(attached)
        _send_all(attached, "invited", "evaluation_invitation", ResponseReceipt.answered.is_(False))
        if attached.invitations_sent_at is None:
            attached.invitations_sent_at = now
        if now >= attached.opens_at + timedelta(days=reminder_days()):
            _send_all(attached, "reminded", "evaluation_reminder",
                      ResponseReceipt.invited.is_(True), ResponseReceipt.answered.is_(False))
            if attached.reminders_sent_at is None:
                attached.reminders_sent_at = now
        db.session.commit()


def evaluation_mail(now: datetime) -> Iterable:
    """A finder for `flask notify due` that sends by itself (see the module's docstring)."""
    send_due(now)
    return []


def install(app: Flask) -> None:
    register_reminder_kind(app, evaluation_mail)
