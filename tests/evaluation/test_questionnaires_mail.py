"""Invitations and the one reminder: through `flask notify due`, once each, in the person's language."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.evaluation import attaching, responding
from elearn.evaluation.models import ActivityQuestionnaire, ResponseReceipt
from elearn.evaluation.sending import send_due
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.notifications.reminders import send_reminders
from tests.evaluation.questionnaire_fixtures import (
    activity_with_attendees,
    attend,
    every_kind,
    full_answers,
    learners,
)
from tests.helpers import frozen_clock
from tests.scheduling.factories import make_activity


def _mails(kind):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                              .order_by(OutboxMessage.id)).all()


def test_attendees_are_invited_once_then_reminded_once_unless_they_answered(app):
    questionnaire = every_kind()
    present, answering, french = learners(3)
    french.preferred_language = "fr"
    absent, = learners(1)
    activity = activity_with_attendees(questionnaire, (present, answering, french))
    attend(activity, absent, present=False)
    with frozen_clock(activity.ends_at - timedelta(minutes=5)):
        send_reminders()
    assert _mails("evaluation_invitation") == []  # not before the last session ends
    with frozen_clock(activity.ends_at + timedelta(hours=1)):
        send_reminders()
        send_reminders()  # a second run sends nothing more
    invitations = _mails("evaluation_invitation")
    assert sorted(m.to_address for m in invitations) == sorted(p.email for p in (present, answering, french))
    in_french = next(m for m in invitations if m.to_address == french.email)
    assert "Votre avis" in in_french.subject and f"/evaluations/activities/{activity.id}" in in_french.body_text
    assert "Your opinion" in next(m for m in invitations if m.to_address == present.email).subject
    responding.submit(attaching.attachment(activity.id), answering, full_answers(questionnaire, activity),
                      activity.ends_at + timedelta(days=2))
    with frozen_clock(activity.ends_at + timedelta(days=6)):
        send_reminders()
    assert _mails("evaluation_reminder") == []  # not before EVALUATION_REMINDER_DAYS
    with frozen_clock(activity.ends_at + timedelta(days=7, hours=1)):
        send_reminders()
    with frozen_clock(activity.ends_at + timedelta(days=9)):
        send_reminders()
    assert sorted(m.to_address for m in _mails("evaluation_reminder")) == sorted([present.email, french.email])
    assert len(_mails("evaluation_invitation")) == 3
    receipts = {r.person_id: r for r in db.session.scalars(select(ResponseReceipt))}
    assert absent.id not in receipts
    assert receipts[answering.id].answered and not receipts[answering.id].reminded
    assert receipts[present.id].invited and receipts[present.id].reminded and not receipts[present.id].answered
    attached = attaching.attachment(activity.id)
    assert attached.invitations_sent_at is not None and attached.reminders_sent_at is not None


def test_the_default_is_attached_when_the_activity_ends_and_nothing_goes_after_closing(app):
    every_kind()
    person, = learners(1)
    activity = make_activity()
    attend(activity, person)
    assert attaching.attachment(activity.id) is None
    with frozen_clock(activity.ends_at + timedelta(days=22)):
        send_due(activity.ends_at + timedelta(days=22))
    assert db.session.scalar(select(ActivityQuestionnaire)) is None and _mails("evaluation_invitation") == []
    with frozen_clock(activity.ends_at + timedelta(hours=2)):
        send_due(activity.ends_at + timedelta(hours=2))
    assert attaching.attachment(activity.id) is not None
    assert [m.to_address for m in _mails("evaluation_invitation")] == [person.email]


def test_invitations_go_in_batches(app, monkeypatch):
    from elearn.evaluation import sending

    monkeypatch.setattr(sending, "BATCH", 2)
    questionnaire = every_kind()
    people = learners(5)
    activity = activity_with_attendees(questionnaire, people)
    with frozen_clock(activity.ends_at + timedelta(hours=1)):
        send_due(activity.ends_at + timedelta(hours=1))
    assert len(_mails("evaluation_invitation")) == 5
