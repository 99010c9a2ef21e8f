"""Events reach a subscriber's system signed, once, retried with backoff, and only what its owner may read."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.scheduling import attendance, registrations
from elearn.scheduling import services as scheduling
from elearn.scheduling.models import ActivityStatus, AttendanceStatus
from elearn.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from elearn.webhooks.sending import send_due
from elearn.webhooks.subscriptions import create_subscription
from tests import factories
from tests.helpers import frozen_clock
from tests.scheduling.factories import make_activity

ALL_EVENTS = list(WebhookEvent)
CONFIRMED = [WebhookEvent.REGISTRATION_CONFIRMED]


def deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_registration_reaches_the_receiver_signed(app, people, receiver):
    subscription = create_subscription(people["learner"], "HR", receiver.url, [WebhookEvent.REGISTRATION_CONFIRMED])
    activity = make_activity()

    outcome = registrations.register(activity.id, people["learner"])
    report = send_due(sender_id="test")

    assert report.sent == 1
    [message] = receiver.received
    assert message.signed_with(subscription.secret)
    assert not message.signed_with("whsec_" + "A" * 32)
    body = message.json
    assert body["type"] == "registration.confirmed" and body["id"] == message.headers["webhook-id"]
    assert body["data"] == {"registration_id": outcome.registration.id, "activity_id": activity.id,
                            "person_id": people["learner"].id, "state": "confirmed"}
    assert body["occurred_at"].endswith("+00:00")
    assert "learner@example.org" not in message.body.decode()  # ids and states only
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 1, 204)


def test_a_failing_receiver_is_retried_with_backoff_then_served(app, people, receiver):
    create_subscription(people["learner"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    receiver.status = 500
    start = utcnow()

    with frozen_clock(start):
        assert send_due(sender_id="test").retried == 1
    [delivery] = deliveries()
    first_wait = delivery.next_attempt_at - start
    assert (delivery.attempts, delivery.last_status_code, first_wait) == (1, 500, timedelta(seconds=60))
    assert delivery.last_error == "HTTP 500 Internal Server Error"
    with frozen_clock(start + timedelta(seconds=30)):
        assert send_due(sender_id="test").retried == 0  # not due yet

    second = delivery.next_attempt_at
    with frozen_clock(second):
        assert send_due(sender_id="test").retried == 1
    [delivery] = deliveries()
    assert delivery.next_attempt_at - second == timedelta(seconds=120)

    receiver.status = 204
    with frozen_clock(delivery.next_attempt_at):
        assert send_due(sender_id="test").sent == 1
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.DELIVERED, 3, None)
    assert len(set(receiver.ids())) == 1 and len(receiver.received) == 3  # the same message id each time


def test_after_the_last_attempt_the_delivery_is_failed(app, people, receiver):
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 2
    create_subscription(people["learner"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    receiver.status = 503
    later = utcnow() + timedelta(days=1)

    assert send_due(sender_id="test", now=later).retried == 1
    assert send_due(sender_id="test", now=later + timedelta(days=1)).failed == 1
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.FAILED, 2, 503)
    assert send_due(sender_id="test", now=later + timedelta(days=9)).failed == 0


def test_an_unreachable_receiver_is_a_retry_with_the_error_kept(app, people):
    create_subscription(people["learner"], "HR", "http://127.0.0.1:9/nothing-listens", CONFIRMED)
    registrations.register(make_activity().id, people["learner"])

    assert send_due(sender_id="test").retried == 1
    [delivery] = deliveries()
    assert delivery.last_status_code is None and "ConnectionError" in delivery.last_error


def test_a_private_address_is_refused_unless_allowed(app, people, receiver):
    from elearn.webhooks.subscriptions import SubscriptionError

    app.config["WEBHOOK_ALLOW_PRIVATE_URLS"] = False
    for url in (receiver.url, "http://10.0.0.5/hook", "ftp://example.org/x", "http://[::1]/hook"):
        with pytest.raises(SubscriptionError):
            create_subscription(people["learner"], "HR", url, CONFIRMED)
    # Allowed when subscribing, refused at send time: the check is made again before each post.
    app.config["WEBHOOK_ALLOW_PRIVATE_URLS"] = True
    create_subscription(people["learner"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    app.config["WEBHOOK_ALLOW_PRIVATE_URLS"] = False
    assert send_due(sender_id="test").retried == 1
    assert receiver.received == [] and "private network" in deliveries()[0].last_error


def test_a_focal_point_hears_of_their_parliaments_people_only(app, people, receiver):
    create_subscription(people["focal_point"], "HR", receiver.url, ALL_EVENTS)
    stranger = factories.make_person(email="stranger@example.org", parliament=factories.make_parliament())
    activity = make_activity()

    ours = registrations.register(activity.id, people["learner"]).registration
    registrations.withdraw(registrations.register(activity.id, stranger).registration)
    registrations.withdraw(ours)
    send_due(sender_id="test")

    told = [(m.json["type"], m.json["data"].get("person_id")) for m in receiver.received]
    assert told == [("activity.published", None), ("registration.confirmed", people["learner"].id),
                    ("registration.withdrawn", people["learner"].id)]


def test_attendance_names_only_the_registrations_a_focal_point_may_see(app, people, receiver):
    create_subscription(people["focal_point"], "HR", receiver.url, [WebhookEvent.ATTENDANCE_RECORDED])
    create_subscription(people["trainer"], "Trainer's", receiver.url, [WebhookEvent.ATTENDANCE_RECORDED])
    create_subscription(people["learner"], "Mine", receiver.url, [WebhookEvent.ATTENDANCE_RECORDED])
    stranger = factories.make_person(email="stranger@example.org", parliament=factories.make_parliament())
    activity = make_activity()
    ours = registrations.register(activity.id, people["learner"]).registration
    theirs = registrations.register(activity.id, stranger).registration
    session = activity.sessions[0]

    with frozen_clock(session.starts_at + timedelta(hours=1)):
        attendance.record_attendance(session, {ours.id: AttendanceStatus.PRESENT, theirs.id: AttendanceStatus.ABSENT})

    told = {d.subscription.name: d.payload["data"]["registration_ids"] for d in deliveries()}
    assert told == {"HR": [ours.id], "Trainer's": sorted([ours.id, theirs.id])}


def test_a_learner_never_hears_of_another_learners_registration(app, people, receiver):
    create_subscription(people["learner"], "Mine", receiver.url, ALL_EVENTS)
    other = factories.make_person(email="other@example.org", parliament=people["learner"].parliament)

    registrations.register(make_activity().id, other)

    assert [d.event for d in deliveries()] == [WebhookEvent.ACTIVITY_PUBLISHED]


def test_a_drafts_changes_reach_staff_only(app, people, receiver):
    create_subscription(people["learner"], "Mine", receiver.url, ALL_EVENTS)
    create_subscription(people["trainer"], "Staff", receiver.url, ALL_EVENTS)
    draft = make_activity(status=ActivityStatus.DRAFT)

    scheduling.update_activity(draft, scheduling.activity_input(draft, shift_days=1))  # a draft's edit: no news
    scheduling.set_status(draft, ActivityStatus.CANCELLED)
    assert [(d.subscription.name, d.event.value) for d in deliveries()] == [("Staff", "activity.cancelled")]

    scheduling.set_status(draft, ActivityStatus.PUBLISHED)  # reinstated: public from now on
    scheduling.update_activity(draft, scheduling.activity_input(draft, shift_days=1))
    told = [(d.subscription.name, d.event.value) for d in deliveries()[1:]]
    assert told == [("Mine", "activity.changed"), ("Staff", "activity.changed")] * 2


def test_a_refused_registration_leaves_no_delivery(app, people, receiver):
    create_subscription(people["learner"], "Mine", receiver.url, [WebhookEvent.REGISTRATION_CONFIRMED])
    activity = make_activity(status=ActivityStatus.CANCELLED)

    with pytest.raises(scheduling.SchedulingError):
        registrations.register(activity.id, people["learner"])

    assert deliveries() == []


def test_a_change_rolled_back_after_the_signal_leaves_no_delivery(app, people, receiver, monkeypatch):
    create_subscription(people["learner"], "Mine", receiver.url, [WebhookEvent.REGISTRATION_CONFIRMED])
    activity = make_activity()

    def fail(*_args):
        raise RuntimeError("the change fails after its signal")

    monkeypatch.setattr(registrations, "clashing_activities", fail)
    with pytest.raises(RuntimeError):
        registrations.register(activity.id, people["learner"])
    db.session.rollback()

    assert deliveries() == []


def test_two_senders_racing_deliver_each_row_once(app, people, receiver):
    create_subscription(people["trainer"], "Staff", receiver.url, [WebhookEvent.REGISTRATION_CONFIRMED])
    activity = make_activity(capacity=30)
    for n in range(12):
        registrations.register(activity.id, factories.make_person(email=f"racer{n}@example.org"))
    barrier = threading.Barrier(2)
    reports = []

    def sender(name):
        with app.app_context():
            barrier.wait()
            reports.append(send_due(sender_id=name))
            db.session.remove()

    threads = [threading.Thread(target=sender, args=(f"sender-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sum(report.sent for report in reports) == 12
    assert len(receiver.ids()) == len(set(receiver.ids())) == 12
    assert {d.status for d in deliveries()} == {DeliveryStatus.DELIVERED}


def test_flask_mail_send_also_delivers_webhooks_and_so_does_flask_webhooks_send(app, people, receiver):
    create_subscription(people["learner"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    runner = app.test_cli_runner()

    result = runner.invoke(args=["mail", "send", "--no-jobs"])

    assert result.exit_code == 0, result.output
    assert len(receiver.received) == 1
    registrations.register(make_activity().id, factories.make_person(email="second@example.org"))
    assert len(receiver.received) == 1  # someone else's registration: not the learner's business
    result = runner.invoke(args=["webhooks", "send"])
    assert result.exit_code == 0 and "webhooks sent 0" in result.output
