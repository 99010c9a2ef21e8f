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
