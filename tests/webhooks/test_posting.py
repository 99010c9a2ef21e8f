"""A webhook POST goes to the address vetted (no second resolution), within a deadline, its answer unread."""
from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.scheduling import registrations
from elearn.webhooks import posting
from elearn.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from elearn.webhooks.sending import send_due
from elearn.webhooks.subscriptions import create_subscription
from tests import factories
from tests.scheduling.factories import make_activity
from tests.webhooks.conftest import start_receiver

CONFIRMED = [WebhookEvent.REGISTRATION_CONFIRMED]


def deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def queue_one(people, url: str) -> None:
    create_subscription(people["learner"], "HR", url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])


@pytest.fixture
def rebinding_name(app, monkeypatch):
    """rebind.example: 127.0.0.1 ("public" here) when first asked, then 127.0.0.2 (private) ever after."""
    real_getaddrinfo = socket.getaddrinfo
    answers: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real_getaddrinfo(host, port, *args, **kwargs)
        address = "127.0.0.1" if not answers else "127.0.0.2"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(posting, "is_public", lambda address: address == "127.0.0.1")
    app.config["WEBHOOK_ALLOW_PRIVATE_URLS"] = False
    return answers


def test_a_name_that_rebinds_after_the_check_is_still_posted_to_the_vetted_address(app, people, receiver,
                                                                                  rebinding_name):
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    inside, stop_inside = start_receiver("127.0.0.2", port)  # what the rebinding would reach
    try:
        app.config["WEBHOOK_ALLOW_PRIVATE_URLS"] = True  # subscribing resolves once too: let it through
        queue_one(people, f"http://rebind.example:{port}/hook")
        app.config["WEBHOOK_ALLOW_PRIVATE_URLS"] = False
        rebinding_name.clear()

        assert send_due(sender_id="test").sent == 1
    finally:
        stop_inside()

    assert rebinding_name == ["127.0.0.1"]  # resolved once, for the check and the connection
    assert inside.received == []
    [message] = receiver.received
    assert message.headers["host"] == f"rebind.example:{port}"


def test_every_address_of_a_name_is_vetted(app, people, receiver, monkeypatch):
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "two.example":
            return real_getaddrinfo(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in ("93.184.216.34", "10.0.0.5")]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    app.config["WEBHOOK_ALLOW_PRIVATE_URLS"] = False

    with pytest.raises(posting.UnsafeUrl, match="private network"):
        posting.check_url("https://two.example/hook")


def test_the_receivers_answer_body_is_never_stored(app, people, receiver):
    queue_one(people, receiver.url)
    receiver.status, receiver.answer_body = 500, b"Traceback: password=hunter2 at db.internal:5432"

    send_due(sender_id="test")

    [delivery] = deliveries()
    assert (delivery.last_status_code, delivery.last_error) == (500, "HTTP 500 Internal Server Error")


def test_a_receiver_dripping_its_headers_is_cut_off_at_the_deadline(app, people, receiver):
    app.config["WEBHOOK_TIMEOUT_SECONDS"] = 1
    queue_one(people, receiver.url)
    receiver.drip = ("headers", 0.2)  # each byte well within a per-read timeout

    started = time.monotonic()
    report = send_due(sender_id="test")

    assert time.monotonic() - started < 3
    [delivery] = deliveries()
    assert report.retried == 1 and delivery.last_error.startswith("Timeout")


def test_a_huge_slow_answer_body_is_not_waited_for(app, people, receiver):
    app.config["WEBHOOK_TIMEOUT_SECONDS"] = 2
    queue_one(people, receiver.url)
    receiver.status, receiver.drip = 200, ("body", 0.2)

    started = time.monotonic()
    report = send_due(sender_id="test")

    assert time.monotonic() - started < 2
    assert report.sent == 1 and deliveries()[0].status == DeliveryStatus.DELIVERED


def test_each_post_is_stamped_and_rescheduled_at_its_own_time(app, people, receiver):
    create_subscription(people["trainer"], "Staff", receiver.url, CONFIRMED)
    activity = make_activity()
    for n in range(2):
        registrations.register(activity.id, factories.make_person(email=f"stamp{n}@example.org"))
    receiver.status, receiver.delay = 500, 1.1

    assert send_due(sender_id="test").retried == 2

    first, second = (int(message.headers["webhook-timestamp"]) for message in receiver.received)
    assert second - first >= 1
    assert all(message.signed_with(deliveries()[0].subscription.secret) for message in receiver.received)
    one, two = deliveries()
    assert (two.next_attempt_at - one.next_attempt_at).total_seconds() >= 1


def test_a_round_stops_claiming_when_its_time_budget_is_spent(app, people, receiver):
    app.config["WEBHOOK_SEND_BUDGET_SECONDS"] = 0.5
    create_subscription(people["trainer"], "Staff", receiver.url, CONFIRMED)
    activity = make_activity(capacity=30)
    for n in range(12):
        registrations.register(activity.id, factories.make_person(email=f"budget{n}@example.org"))
    receiver.delay = 0.1

    report = send_due(sender_id="test")

    assert report.sent == 10  # the first batch, claimed within the budget; the rest wait for the next round
    assert [d.status for d in deliveries()].count(DeliveryStatus.PENDING) == 2
