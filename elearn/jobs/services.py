"""Queue a job in the caller's transaction; claim and run due jobs batch by batch, on any number of hosts.

A handler is registered per kind by a higher feature (`register_job_handler`,
called by the app factory). It gets the job's payload and a batch size, does
one batch of work in the session (adds rows, never commits) and returns the
payload to save (its cursor moved on) and whether it is finished. The batch
and the new payload commit together: a worker that dies mid-batch loses the
batch's rows and its cursor alike, and the next worker redoes exactly that
batch, so nothing is lost or done twice.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from flask import Flask, current_app
from sqlalchemy import and_, or_, select, update

from elearn.database import utcnow
from elearn.extensions import db
from elearn.jobs.models import Job, JobState

log = logging.getLogger(__name__)

_HANDLERS = "hemicycle_job_handlers"


@dataclass(frozen=True)
class Step:
    payload: dict
    done: bool


Handler = Callable[[dict, int], Step]


@dataclass
class JobReport:
    done: int = 0
    failed: int = 0
    retried: int = 0
    batches: int = 0
    lost: int = 0  # claims another worker took over (this one was too slow): its batch was not saved


def register_job_handler(app: Flask, kind: str, handler: Handler) -> None:
    """Hook for a feature: run `handler` for jobs of `kind` (called by the app factory)."""
    app.extensions.setdefault(_HANDLERS, {})[kind] = handler


def queue_job(kind: str, payload: dict, *, run_after: datetime | None = None) -> Job:
    """Add a job to the caller's transaction: it exists if and only if the caller's change commits."""
    if kind not in current_app.extensions.get(_HANDLERS, {}):
        raise ValueError(f"no handler registered for job kind {kind!r}")
    job = Job(kind=kind, payload=payload, state=JobState.PENDING, run_after=run_after or utcnow())
    db.session.add(job)
    return job


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])


def _claimable(now: datetime):
    return or_(and_(Job.state == JobState.PENDING, Job.run_after <= now),
               # A running job whose worker stopped renewing its claim (it died): taken over.
               and_(Job.state == JobState.RUNNING, Job.locked_at < _stale_before(now)))


def claim_job(worker_id: str, now: datetime) -> int | None:
    """Mark one due job as this worker's and return its id (None: nothing to do).

    PostgreSQL: FOR UPDATE SKIP LOCKED, so workers on several hosts pass over
    each other's rows instead of waiting. SQLite: a conditional UPDATE per
    candidate, atomic under the database write lock, so one worker wins.
    """
    due = select(Job.id).where(_claimable(now)).order_by(Job.id).limit(1)
    claim = dict(state=JobState.RUNNING, locked_by=worker_id, locked_at=now, attempts=Job.attempts + 1)
    if db.session.get_bind().dialect.name == "postgresql":
        picked = due.with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED")
        claimed = db.session.scalar(
            update(Job).where(Job.id == picked.c.id).values(**claim).returning(Job.id)
            .execution_options(synchronize_session=False))
        db.session.commit()
        return claimed
    while True:
        candidate = db.session.scalar(due)
        if candidate is None:
            db.session.commit()
            return None
        result = db.session.execute(
            update(Job).where(Job.id == candidate, _claimable(now)).values(**claim)
            .execution_options(synchronize_session=False))
        db.session.commit()
        if result.rowcount == 1:
            return candidate


def _fail(job_id: int, worker_id: str, error: str, now: datetime) -> bool:
    """Record a failed batch; the job is retried later with backoff, or gives up. True: given up."""
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None or job.locked_by != worker_id:
        db.session.rollback()
        return False
    config = current_app.config
    job.last_error, job.locked_by, job.locked_at = error[:2000], None, None
    if job.attempts >= config["JOBS_MAX_ATTEMPTS"]:
        job.state, job.finished_at = JobState.FAILED, now
    else:
        job.state = JobState.PENDING
        job.run_after = now + timedelta(seconds=config["JOBS_RETRY_BASE_SECONDS"] * 2 ** (job.attempts - 1))
    db.session.commit()
    return job.state == JobState.FAILED


def _release(job_id: int, worker_id: str) -> None:
    """Give a job back unfinished (its time budget is spent): any worker, this one too, continues it later."""
    db.session.execute(
        update(Job).where(Job.id == job_id, Job.locked_by == worker_id, Job.state == JobState.RUNNING)
        .values(state=JobState.PENDING, locked_by=None, locked_at=None,
                attempts=Job.attempts - 1)  # a pause is not a failed attempt
        .execution_options(synchronize_session=False))
    db.session.commit()


def run_job(job_id: int, worker_id: str, report: JobReport, *, max_batches: int | None = None,
            deadline: float | None = None) -> None:
    """Run a claimed job batch by batch until it is done, fails or is taken over.

    `deadline` (time.monotonic()): past it, the job is given back after the
    current batch, so that a worker which also sends mail gets to the outbox.
    `max_batches` stops early, leaving the claim as a worker that died would
    (tests and the bench use it to interrupt a job).
    """
    config = current_app.config
    batches = 0
    while max_batches is None or batches < max_batches:
        if deadline is not None and batches and time.monotonic() > deadline:
            _release(job_id, worker_id)
            return
        now = utcnow()
        job = db.session.get(Job, job_id, populate_existing=True)
        handler = current_app.extensions.get(_HANDLERS, {}).get(job.kind)
        # Own the row for this batch first: on PostgreSQL the UPDATE locks it until we commit.
        owned = db.session.execute(
            update(Job).where(Job.id == job_id, Job.locked_by == worker_id, Job.steps == job.steps,
                              Job.state == JobState.RUNNING)
            .values(steps=job.steps + 1, locked_at=now).execution_options(synchronize_session=False))
        if owned.rowcount != 1:
            db.session.rollback()
            report.lost += 1
            return
        try:
            if handler is None:
                raise LookupError(f"no handler registered for job kind {job.kind!r}")
            step = handler(dict(job.payload or {}), config["JOBS_BATCH_SIZE"])
        except Exception as exc:  # any failure of a batch: undo it and retry later
            db.session.rollback()
            log.exception("job %s (%s) failed", job_id, job.kind)
            if _fail(job_id, worker_id, f"{type(exc).__name__}: {exc}", utcnow()):
                report.failed += 1
            else:
                report.retried += 1
            return
        values = dict(payload=step.payload)
        if step.done:
            values.update(state=JobState.DONE, finished_at=utcnow(), locked_by=None, locked_at=None,
                          last_error=None)
        db.session.execute(update(Job).where(Job.id == job_id).values(**values)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        batches += 1
        report.batches += 1
        if step.done:
            report.done += 1
            return


def run_due(*, worker_id: str, now: datetime | None = None, limit: int = 20,
            max_batches: int | None = None, budget_seconds: float | None = None) -> JobReport:
    """Claim and run due jobs one at a time, up to `limit` jobs or `budget_seconds` (then after a batch).

    With `max_batches` (an interrupted worker, in tests and the bench) one job only.
    """
    report = JobReport()
    deadline = time.monotonic() + budget_seconds if budget_seconds is not None else None
    for _ in range(1 if max_batches is not None else limit):
        job_id = claim_job(worker_id, now or utcnow())
        if job_id is None:
            break
        run_job(job_id, worker_id, report, max_batches=max_batches, deadline=deadline)
        if deadline is not None and time.monotonic() > deadline:
            break
    return report


def backlog() -> int:
    """Jobs waiting or running (for the outbox page and metrics)."""
    return db.session.scalar(select(db.func.count()).select_from(Job).where(
        Job.state.in_((JobState.PENDING, JobState.RUNNING)))) or 0
