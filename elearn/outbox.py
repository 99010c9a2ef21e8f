"""Claiming rows of an outbox (mail, webhook deliveries) among any number of senders on any number of hosts.

An outbox table has `id`, `status`, `next_attempt_at`, `claimed_by` and `claimed_at`. A sender claims due
rows, works through them and sets their status; a sender that died leaves rows in the sending status,
which are released after STALE_CLAIM for another to take.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from elearn.extensions import db

STALE_CLAIM = timedelta(minutes=10)


def retry_delay(attempts: int, base_seconds: int) -> timedelta:
    """Exponential backoff: base, 2 × base, 4 × base, ... after the 1st, 2nd, 3rd failed attempt."""
    return timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0))


def release_stale_claims(model, *, sending, pending, now: datetime) -> None:
    db.session.execute(
        update(model).where(model.status == sending, model.claimed_at < now - STALE_CLAIM)
        .values(status=pending, claimed_by=None))
    db.session.commit()


def claim_batch(model, *, pending, sending, sender_id: str, now: datetime, size: int) -> list[int]:
    """Mark up to `size` due rows as this sender's and return their ids.

    PostgreSQL: the rows are picked with FOR UPDATE SKIP LOCKED, so a second
    sender passes over the rows the first is claiming instead of waiting for
    them, and each row goes to one sender only. SQLite has no row locks: there
    each candidate is claimed with a conditional update, which is atomic (the
    database write lock serialises writers), so of two senders racing for a
    row exactly one sees rowcount 1.
    """
    due = (select(model.id).where(model.status == pending, model.next_attempt_at <= now)
           .order_by(model.id).limit(size))
    claim = dict(status=sending, claimed_by=sender_id, claimed_at=now)
    if db.session.get_bind().dialect.name == "postgresql":
        # A materialised CTE: as a plain IN (subquery) PostgreSQL may run the
        # subquery more than once and so claim more rows than the LIMIT.
        picked = due.with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED")
        claimed = db.session.scalars(
            update(model).where(model.id == picked.c.id, model.status == pending)
            .values(**claim).returning(model.id)
            .execution_options(synchronize_session=False)).all()
        db.session.commit()
        return sorted(claimed)
    while True:
        candidates = db.session.scalars(due).all()
        if not candidates:
            return []
        claimed = []
        for row_id in candidates:
            result = db.session.execute(
                update(model).where(model.id == row_id, model.status == pending)
                .values(**claim).execution_options(synchronize_session=False))
            db.session.commit()
            if result.rowcount == 1:
                claimed.append(row_id)
        if claimed:
            return claimed
        # Another sender took every candidate first: look at the next ones rather than stop.
