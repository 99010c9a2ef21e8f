"""Two trainers (or twenty) selecting at the same moment never fill more seats than the activity has.

Real processes race on the test's database, SQLite or PostgreSQL, as in tests/scheduling/test_concurrency.py:
the seat lock taken by selection.decide is what keeps the count right.
"""
from __future__ import annotations

import multiprocessing
import queue
import threading

import pytest
from sqlalchemy import func, select

from elearn import create_app
from elearn.access import Role
from elearn.delegations import calls, selection
from elearn.delegations.calls_models import Application, ApplicationStatus
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Registration, RegistrationState
from tests import factories
from tests.conftest import BASE_CONFIG
from tests.delegations.calls_factories import applied, candidate, open_call

PROCESSES, TIMEOUT = 2, 60


def _decide(config: dict, jobs: list[tuple[int, int]], start, results) -> None:
    app = create_app(config)
    outcomes: list[str] = []

    def run(job):
        application_id, trainer_id = job
        with app.app_context():
            try:
                application = db.session.get(Application, application_id)
                trainer = db.session.get(Person, trainer_id)
                start.wait(timeout=TIMEOUT)
                selection.decide(application, ApplicationStatus.SELECTED, actor=trainer)
                outcomes.append("selected")
            except calls.CallError:
                outcomes.append("refused")
            except Exception as error:  # reported to the test, which fails with it
                outcomes.append(f"error: {type(error).__name__}: {error}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        db.engine.dispose()
    results.put(outcomes)


def test_eight_selections_at_once_for_three_seats(app):
    trainer = factories.make_person(Role.TRAINER)
    call = open_call(trainer=trainer, capacity=3)
    jobs = [(applied(call, candidate()).id, trainer.id) for _ in range(8)]
    db.session.commit()
    config = {key: app.config[key] for key in (*BASE_CONFIG, "SQLALCHEMY_DATABASE_URI")}
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(len(jobs)), context.Queue()
    children = [context.Process(target=_decide, args=(config, jobs[n::PROCESSES], start, results))
                for n in range(PROCESSES)]
    for child in children:
        child.start()
    outcomes = []
    try:
        for _ in children:
            outcomes.extend(results.get(timeout=TIMEOUT))
    except queue.Empty:
        pytest.fail("no answer from every child in time")
    finally:
        for child in children:
            child.join(timeout=TIMEOUT)
            if child.exitcode is None:
                child.kill()
    assert sorted(outcomes) == ["refused"] * 5 + ["selected"] * 3, outcomes
    db.session.expire_all()
    confirmed = db.session.scalar(select(func.count(Registration.id)).where(
        Registration.state == RegistrationState.CONFIRMED))
    selected = db.session.scalar(select(func.count(Application.id)).where(
        Application.status == ApplicationStatus.SELECTED))
    assert (confirmed, selected) == (3, 3)
