"""An activity's change or cancellation: one job in the request, then workers mail each participant exactly once."""
from __future__ import annotations

import multiprocessing
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from elearn import create_app
from elearn.database import utcnow
from elearn.extensions import db
from elearn.jobs.models import Job, JobState
from elearn.jobs.services import run_due
from elearn.mail.models import OutboxMessage
from elearn.mail.services import send_due
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, Registration
from tests.conftest import BASE_CONFIG
from tests.factories import make_person
from tests.helpers import post_form
from tests.scheduling.factories import make_activity

BATCH = 4


def mails() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def jobs() -> list[Job]:
    db.session.expire_all()
    return db.session.scalars(select(Job).order_by(Job.id)).all()


def crowded_activity(app, people: int = 11, prefix: str = "p") -> tuple:
    """An activity with `people` registrations (some waitlisted, one withdrawn) and an empty outbox."""
    app.config["JOBS_BATCH_SIZE"] = BATCH
    activity = make_activity(capacity=people - 5)
    registrations = [services.register(activity.id, make_person(email=f"{prefix}{n:02}@example.org", password=None))
                     .registration for n in range(people)]
    services.withdraw(registrations[0])  # no longer registered: told of nothing
    db.session.execute(delete(OutboxMessage))  # the registration mails are not what these tests are about
    db.session.commit()
    return activity, sorted(f"{prefix}{n:02}@example.org" for n in range(1, people))


def deliver_all(worker: str = "worker") -> None:
    while run_due(worker_id=worker).batches:
        pass
    while send_due(sender_id=worker).sent:
        pass


def test_an_edit_queues_one_job_and_no_mail(app):
    activity, _ = crowded_activity(app)

    services.update_activity(activity, services.activity_input(activity, shift_days=1))

    [job] = jobs()
    assert (job.kind, job.state, job.payload["activity_id"]) == ("activity_changed", JobState.PENDING, activity.id)
    assert mails() == []


def test_cancelling_through_the_page_queues_one_job_and_no_mail(app, login_as):
    activity, _ = crowded_activity(app)
    path = f"/manage/activities/{activity.id}/cancel"

    response = post_form(login_as("trainer"), path, token_from=path)

    assert response.status_code == 302
    assert [job.kind for job in jobs()] == ["activity_cancelled"]
    assert mails() == []


def test_the_worker_mails_every_participant_once_over_smtp(app, smtp_server):
    activity, expected = crowded_activity(app)
    services.update_activity(activity, services.activity_input(activity, shift_days=1))
    deliver_all()
    services.set_status(activity, ActivityStatus.CANCELLED)
    deliver_all()

    received = [(email["To"], str(email["Subject"])) for email in smtp_server.received]
    assert sorted(to for to, subject in received if subject.startswith("Changed:")) == expected
    assert sorted(to for to, subject in received if subject.startswith("Cancelled:")) == expected
    assert len(received) == 2 * len(expected)
    assert {job.state for job in jobs()} == {JobState.DONE}
    assert [job.payload["mailed"] for job in jobs()] == [len(expected)] * 2


def test_a_job_interrupted_after_one_batch_resumes_without_duplicates(app, smtp_server):
    activity, expected = crowded_activity(app)
    services.update_activity(activity, services.activity_input(activity, shift_days=1))

    run_due(worker_id="dies", max_batches=1)  # the worker stops as if killed after its first batch
    assert len(mails()) == BATCH
    [job] = jobs()
    assert (job.state, job.locked_by, job.steps) == (JobState.RUNNING, "dies", 1)
    # While the claim is fresh nobody else takes the job; once stale, another worker does.
    assert run_due(worker_id="other").batches == 0
    later = utcnow() + timedelta(seconds=app.config["JOBS_STALE_SECONDS"] + 1)
    assert run_due(worker_id="other", now=later).done == 1
    deliver_all()

    assert sorted(email["To"] for email in smtp_server.received) == expected
    assert jobs()[0].attempts == 2


def test_a_worker_that_lost_its_claim_saves_nothing(app):
    activity, expected = crowded_activity(app)
    services.update_activity(activity, services.activity_input(activity, shift_days=1))
    run_due(worker_id="slow", max_batches=1)
    later = utcnow() + timedelta(seconds=app.config["JOBS_STALE_SECONDS"] + 1)
    run_due(worker_id="other", now=later, max_batches=1)

    from elearn.jobs.services import JobReport, run_job

    report = JobReport()
    run_job(jobs()[0].id, "slow", report)  # the first worker wakes up and carries on

    assert (report.lost, report.batches) == (1, 0)
    assert len(mails()) == 2 * BATCH
    run_due(worker_id="other", now=later)
    assert sorted(m.to_address for m in mails()) == expected


def test_registrations_made_after_the_edit_are_not_told_of_it(app):
    activity, expected = crowded_activity(app)
    services.update_activity(activity, services.activity_input(activity, shift_days=1))
    services.register(activity.id, make_person(email="late@example.org", password=None))
    db.session.execute(delete(OutboxMessage))
    db.session.commit()

    run_due(worker_id="worker")

    assert sorted(m.to_address for m in mails()) == expected


def test_the_seat_lock_is_not_held_while_mailing(app):
    """A registration right after a big edit is not kept waiting: the edit's transaction is over."""
    activity, _ = crowded_activity(app)
    services.update_activity(activity, services.activity_input(activity, shift_days=1))
    assert db.session.scalar(select(func.count(Registration.id))) == 11

    outcome = services.register(activity.id, make_person(email="next@example.org", password=None))

    assert outcome.created
    assert [m.to_address for m in mails()] == ["next@example.org"]  # only its own mail so far


def _worker_in_child(config: dict, start, results) -> None:
    """One `flask mail send --loop` worker in its own process: jobs, then the outbox, until both are empty."""
    child_app = create_app(config)
    with child_app.app_context():
        name = multiprocessing.current_process().name
        start.wait(timeout=60)
        batches = sent = 0
        while True:
            done = run_due(worker_id=name).batches
            delivered = send_due(sender_id=name).sent
            batches, sent = batches + done, sent + delivered
            if not done and not delivered:
                break
        results.put((batches, sent))
        db.engine.dispose()


def test_two_workers_at_once_deliver_every_mail_exactly_once(app, smtp_server):
    expected = []
    for prefix in ("a", "b", "c"):
        activity, people = crowded_activity(app, people=8, prefix=prefix)
        services.set_status(activity, ActivityStatus.CANCELLED)
        expected += people
    config = {key: app.config[key] for key in
              (*BASE_CONFIG, "SQLALCHEMY_DATABASE_URI", "MAIL_SERVER", "MAIL_PORT", "JOBS_BATCH_SIZE")}

    context = multiprocessing.get_context("spawn")  # not fork: the SMTP server runs in a thread here
    start, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_worker_in_child, args=(config, start, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=90)
        assert worker.exitcode == 0, "a worker crashed or hung: see its output above"
    figures = [results.get(timeout=5) for _ in workers]

    assert sorted(email["To"] for email in smtp_server.received) == sorted(expected)
    assert sum(sent for _, sent in figures) == len(expected)
    assert {job.state for job in jobs()} == {JobState.DONE}


def test_an_activity_with_people_still_cannot_go_back_to_draft(app):
    activity, _ = crowded_activity(app, people=6)
    with pytest.raises(services.SchedulingError):
        services.set_status(activity, ActivityStatus.DRAFT)
    assert jobs() == []


def test_a_change_overtaken_by_a_cancellation_is_not_mailed(app):
    activity, expected = crowded_activity(app)
    services.update_activity(activity, services.activity_input(activity, shift_days=1))
    services.set_status(activity, ActivityStatus.CANCELLED)

    run_due(worker_id="worker")

    assert {m.kind for m in mails()} == {"activity_cancelled"}
    assert sorted(m.to_address for m in mails()) == expected
    assert [job.state for job in jobs()] == [JobState.DONE, JobState.DONE]
