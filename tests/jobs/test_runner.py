"""The job runner: a failed batch is undone and retried with backoff, a job gives up after its last attempt."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.jobs.models import Job, JobState
from elearn.jobs.services import Step, queue_job, register_job_handler, run_due
from elearn.mail.models import OutboxMessage
from elearn.mail.services import queue_mail

ADDRESSES = [f"member{n}@example.org" for n in range(5)]


@pytest.fixture
def mailing(app):
    """A job kind that mails a list of addresses, two per batch, and fails once on its second batch."""
    app.config["JOBS_BATCH_SIZE"] = 2
    failures = {"left": 1}

    def run(payload: dict, size: int) -> Step:
        start = payload["next"]
        for address in payload["to"][start:start + size]:
            queue_mail(to=address, template="password_reset", locale="en", person=None,
                       link="http://hemicycle.test/r", hours=2)
        if start > 0 and failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("the database went away mid-batch")
        done = start + size >= len(payload["to"])
        return Step(payload={**payload, "next": start + size}, done=done)

    register_job_handler(app, "test_mailing", run)
    return failures


def addresses() -> list[str]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage.to_address).order_by(OutboxMessage.id)).all()


def test_a_failed_batch_is_undone_and_retried_later(app, mailing):
    queue_job("test_mailing", {"to": ADDRESSES, "next": 0})
    db.session.commit()

    report = run_due(worker_id="w")

    assert (report.batches, report.retried) == (1, 1)
    assert addresses() == ADDRESSES[:2]  # the failed second batch left nothing behind
    job = db.session.scalar(select(Job))
    assert (job.state, job.attempts, job.locked_by) == (JobState.PENDING, 1, None)
    assert "the database went away" in job.last_error
    assert job.run_after > utcnow() + timedelta(seconds=30)
    assert run_due(worker_id="w").batches == 0  # not before its time

    assert run_due(worker_id="w", now=job.run_after).done == 1
    assert addresses() == ADDRESSES
    assert db.session.scalar(select(Job.state)) == JobState.DONE


def test_a_job_gives_up_after_its_last_attempt(app, mailing):
    app.config["JOBS_MAX_ATTEMPTS"] = 1
    queue_job("test_mailing", {"to": ADDRESSES, "next": 0})
    db.session.commit()

    assert run_due(worker_id="w").failed == 1
    job = db.session.scalar(select(Job))
    assert job.state == JobState.FAILED and job.finished_at is not None
    assert run_due(worker_id="w", now=utcnow() + timedelta(days=1)).batches == 0


def test_a_kind_nobody_handles_is_refused_when_queued(app):
    with pytest.raises(ValueError, match="no handler"):
        queue_job("no_such_kind", {})


def test_the_cli_runs_due_jobs(app, runner, mailing):
    mailing["left"] = 0
    queue_job("test_mailing", {"to": ADDRESSES, "next": 0})
    db.session.commit()

    result = runner.invoke(args=["jobs", "run"])

    assert result.exit_code == 0, result.output
    assert "jobs done 1, batches 3" in result.output
    assert addresses() == ADDRESSES


def test_mail_send_runs_the_jobs_before_sending(app, runner, mailing):
    mailing["left"] = 0
    queue_job("test_mailing", {"to": ADDRESSES, "next": 0})
    db.session.commit()

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0, result.output
    assert "sent 5, to retry 0, failed 0" in result.output


def test_a_job_past_its_time_budget_is_given_back_after_a_batch_and_continued(app, mailing):
    mailing["left"] = 0
    queue_job("test_mailing", {"to": ADDRESSES, "next": 0})
    db.session.commit()

    report = run_due(worker_id="w", budget_seconds=0)  # a turn of `mail send --loop` that is already over

    assert (report.batches, report.done) == (1, 0)
    job = db.session.scalar(select(Job))
    assert (job.state, job.locked_by, job.attempts, job.payload["next"]) == (JobState.PENDING, None, 0, 2)
    assert addresses() == ADDRESSES[:2]  # the outbox gets its turn now
    assert run_due(worker_id="other").done == 1
    assert addresses() == ADDRESSES
