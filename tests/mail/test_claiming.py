"""How senders claim messages: SKIP LOCKED on PostgreSQL, conditional updates on SQLite."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text

from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.mail.services import queue_mail, send_due
from tests import factories


def queue_resets(count: int) -> list[int]:
    for n in range(count):
        person = factories.make_person(email=f"claim{n}@example.org")
        queue_mail(to=person.email, template="password_reset", locale="en", person=person,
                   link="http://hemicycle.test/r", hours=2)
    db.session.commit()
    return db.session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)).all()


def test_a_row_locked_by_another_sender_is_skipped_not_waited_for(app, smtp_server):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and SKIP LOCKED are PostgreSQL's; SQLite claims with conditional updates")
    first, *others = queue_resets(3)
    # Another sender, mid-claim, holds the first row locked in its own transaction.
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with other.connect() as connection:
        connection.execute(text("SET lock_timeout = '5s'"))
        connection.execute(text("SELECT id FROM outbox_message WHERE id = :id FOR UPDATE"), {"id": first})
        db.session.execute(text("SET lock_timeout = '2s'"))  # without SKIP LOCKED this sender would fail here
        report = send_due(sender_id="second")
        connection.rollback()
    other.dispose()

    assert report.sent == 2
    assert sorted(email["To"] for email in smtp_server.received) == ["claim1@example.org", "claim2@example.org"]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, first).status == OutboxStatus.PENDING
    assert send_due(sender_id="second").sent == 1


def test_claims_come_in_small_batches_up_to_the_limit(app, smtp_server):
    app.config["MAIL_CLAIM_BATCH"] = 2
    queue_resets(5)

    assert send_due(sender_id="test", limit=3).sent == 3
    assert send_due(sender_id="test").sent == 2
    assert len(smtp_server.received) == 5
    assert set(db.session.scalars(select(OutboxMessage.status))) == {OutboxStatus.SENT}


def test_a_batch_shares_one_smtp_connection(app, smtp_server):
    app.config["MAIL_CLAIM_BATCH"] = 3
    queue_resets(5)

    assert send_due(sender_id="test").sent == 5

    peers = smtp_server.handler.peers
    assert len(peers) == 5
    assert len(set(peers[:3])) == 1 and len(set(peers[3:])) == 1  # two batches, two connections
    assert peers[0] != peers[3]


def test_after_the_server_closes_the_connection_the_next_message_gets_a_new_one(app, smtp_server):
    smtp_server.reply_next("421 closing: too many messages")  # smtplib drops the connection on 421
    queue_resets(3)

    report = send_due(sender_id="test")

    assert (report.sent, report.retried) == (2, 1)
    assert sorted(email["To"] for email in smtp_server.received) == ["claim1@example.org", "claim2@example.org"]
    peers = smtp_server.handler.peers
    assert peers[1] == peers[2] != peers[0]
    first = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "claim0@example.org"))
    assert (first.status, first.last_error) == (OutboxStatus.PENDING, "421 closing: too many messages")


def test_a_refusal_keeps_the_connection_for_the_next_message(app, smtp_server):
    smtp_server.reply_next("550 no such user")
    queue_resets(2)

    report = send_due(sender_id="test")

    assert (report.sent, report.failed) == (1, 1)
    assert len(set(smtp_server.handler.peers)) == 1
