"""The outbox: mail queued with the change that caused it, then delivered over real SMTP."""
from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from elearn import create_app
from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.mail.services import queue_mail, send_due
from tests import factories
from tests.conftest import BASE_CONFIG
from tests.helpers import frozen_clock, post_form, text

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)


def queue_invitation(to: str = "awa.jallow@example.org") -> OutboxMessage:
    person = factories.make_person(email=to, full_name="Awa Jallow")
    message = queue_mail(to=to, template="invitation", locale="en", person=person,
                         invited_by=None, link="http://hemicycle.test/account/invitation/abc123", days=14)
    db.session.commit()
    return message


def reload(message: OutboxMessage) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message.id)


def test_queued_message_is_delivered_once(app, smtp_server):
    message = queue_invitation("awa.jallow@example.org")

    report = send_due(sender_id="test")

    assert report.sent == 1
    [email] = smtp_server.received
    assert smtp_server.handler.recipients == [["awa.jallow@example.org"]]
    assert email["To"] == "awa.jallow@example.org"
    assert email["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert email["Subject"] == "Your Hemicycle account is ready"
    plain = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert "Hello Awa Jallow," in plain
    assert "http://hemicycle.test/account/invitation/abc123" in plain
    assert 'href="http://hemicycle.test/account/invitation/abc123"' in html
    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1

    assert send_due(sender_id="test").sent == 0
    assert len(smtp_server.received) == 1


def test_rolled_back_change_leaves_no_mail(app):
    person = factories.make_person()
    queue_mail(to=person.email, template="password_reset", locale="en", person=person,
               link="http://hemicycle.test/account/reset/abc", hours=2)
    db.session.rollback()

    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_server_down_keeps_the_message_until_it_is_back(app, smtp_server):
    smtp_server.stop()
    with frozen_clock(T0):
        message = queue_invitation()
        report = send_due(sender_id="test")

    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    message = reload(message)
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "Connection refused" in message.last_error
    retry_at = T0 + timedelta(seconds=app.config["MAIL_RETRY_BASE_SECONDS"])
    assert message.next_attempt_at == retry_at

    smtp_server.start()
    with frozen_clock(retry_at - timedelta(seconds=1)):
        assert send_due(sender_id="test").sent == 0  # not before its time
    with frozen_clock(retry_at):
        assert send_due(sender_id="test").sent == 1

    assert [email["To"] for email in smtp_server.received] == [message.to_address]
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 2, None)


def test_temporary_refusal_is_retried_and_delivered_once(app, smtp_server):
    smtp_server.reply_next("451 try later")

    with frozen_clock(T0):
        message = queue_invitation()
        assert send_due(sender_id="test").retried == 1
    assert smtp_server.received == []
    assert "451 try later" in reload(message).last_error

    with frozen_clock(T0 + timedelta(hours=1)):
        assert send_due(sender_id="test").sent == 1
        assert send_due(sender_id="test").sent == 0

    assert len(smtp_server.received) == 1
    assert reload(message).status == OutboxStatus.SENT


def test_permanent_refusal_fails_and_an_admin_can_retry_it(app, smtp_server, admin_client, learner_client):
    smtp_server.reply_next("550 no such user")
    message = queue_invitation("nobody@example.org")

    assert send_due(sender_id="test").failed == 1

    message = reload(message)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert message.last_error == "550 no such user"
    page = text(admin_client.get("/admin/outbox/?status=failed"))
    assert "nobody@example.org" in page
    assert "550 no such user" in page

    retry_url = f"/admin/outbox/{message.id}/retry"
    response = post_form(learner_client, retry_url, token_from="/account/forgot")
    assert response.status_code == 403
    assert reload(message).status == OutboxStatus.FAILED

    response = post_form(admin_client, retry_url, token_from="/admin/outbox/?status=failed",
                         follow_redirects=True)
    assert "The message is queued again." in text(response)
    message = reload(message)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
    assert "nobody@example.org" in text(admin_client.get("/admin/outbox/?status=pending"))

    assert send_due(sender_id="test").sent == 1
    assert [email["To"] for email in smtp_server.received] == ["nobody@example.org"]


def test_refused_recipient_fails_with_a_readable_error(app, smtp_server):
    smtp_server.refuse_recipient("gone@example.org", "550 5.1.1 mailbox unavailable")
    message = queue_invitation("gone@example.org")

    assert send_due(sender_id="test").failed == 1

    message = reload(message)
    assert message.status == OutboxStatus.FAILED
    assert message.last_error == "gone@example.org: 550 5.1.1 mailbox unavailable"
    assert smtp_server.received == []


def test_gives_up_after_the_last_attempt_with_growing_delays(app, smtp_server):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_BASE_SECONDS=60)
    smtp_server.reply_next("421 busy", "421 busy", "421 busy")
    with frozen_clock(T0):
        message = queue_invitation()

    now = T0
    for attempt, delay in ((1, 60), (2, 120)):
        assert send_due(sender_id="test", now=now).retried == 1
        message = reload(message)
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, attempt)
        assert message.next_attempt_at == now + timedelta(seconds=delay)
        now = message.next_attempt_at

    assert send_due(sender_id="test", now=now).failed == 1
    message = reload(message)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    assert "421 busy" in message.last_error
    assert send_due(sender_id="test", now=now + timedelta(days=1)).failed == 0
    assert smtp_server.received == []


def _send_in_child(config: dict, start, results) -> None:
    """Run one sender in its own process, as a second `flask mail send` would."""
    child_app = create_app(config)
    with child_app.app_context():
        start.wait(timeout=60)
        results.put(send_due(sender_id=f"child-{multiprocessing.current_process().name}").sent)
        db.engine.dispose()


def test_two_senders_at_once_never_send_a_message_twice(app, smtp_server):
    addresses = [f"member{n}@example.org" for n in range(30)]
    for address in addresses:
        queue_mail(to=address, template="password_reset", locale="en",
                   person=factories.make_person(email=address), link="http://hemicycle.test/r", hours=2)
    db.session.commit()
    config = {key: app.config[key] for key in
              (*BASE_CONFIG, "SQLALCHEMY_DATABASE_URI", "MAIL_SERVER", "MAIL_PORT")}

    # Spawn, not fork: the SMTP server runs in a thread of this process.
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    senders = [context.Process(target=_send_in_child, args=(config, start, results)) for _ in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=60)
        assert sender.exitcode == 0, "a sender crashed or hung: see its output above"
    sent_by_each = [results.get(timeout=5) for _ in senders]

    assert sum(sent_by_each) == 30
    delivered = sorted(email["To"] for email in smtp_server.received)
    assert delivered == sorted(addresses)
    statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert statuses == [OutboxStatus.SENT] * 30


def test_without_a_mail_server_the_message_is_printed(app, runner):
    assert not app.config["MAIL_SERVER"]
    message = queue_invitation()

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0, result.output
    assert "Subject: Your Hemicycle account is ready" in result.output
    assert "http://hemicycle.test/account/invitation/abc123" in result.output
    assert "sent 1, to retry 0, failed 0" in result.output
    assert reload(message).status == OutboxStatus.SENT


def test_cli_prints_a_summary(app, runner, smtp_server):
    smtp_server.reply_next("451 try later", "550 no such user")
    for n in range(3):
        queue_invitation(f"member{n}@example.org")

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "sent 1, to retry 1, failed 1"
    assert [email["To"] for email in smtp_server.received] == ["member2@example.org"]
