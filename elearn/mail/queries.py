"""What the administrators' dashboard asks of the outbox: the messages that gave up."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class FailedMessage:
    id: int
    to_address: str
    subject: str
    attempts: int
    last_error: str
    created_at: datetime


@dataclass(frozen=True)
class OutboxFailures:
    latest: list[FailedMessage] = field(default_factory=list)
    total: int = 0


def outbox_failures(limit: int) -> OutboxFailures:
    """The latest failed messages (refused for good, or out of attempts) and how many there are: two queries."""
    total = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == OutboxStatus.FAILED))
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.to_address, OutboxMessage.subject, OutboxMessage.attempts,
               OutboxMessage.last_error, OutboxMessage.created_at)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.id.desc()).limit(limit)).all() if total else []
    return OutboxFailures(latest=[FailedMessage(id_, to, subject, attempts, error or "", created)
                                  for id_, to, subject, attempts, error, created in rows], total=total)
