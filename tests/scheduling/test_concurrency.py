"""No overbooking, ever: seats and waitlists stay right when many people act at the same moment.

Real processes (spawned, each with its own app and database connections, as
gunicorn workers have) race on the test's database, SQLite or PostgreSQL. In
each process several threads wait at one barrier shared by every process, then
all call the service at once.

The lock in `seats.lock_seats` is what makes these pass. Without it,
PostgreSQL confirms all 40 for 5 seats and gives one waitlist position twice
(refused by the unique constraint, so a failed request). SQLite then survives
only by accident: the registration's INSERT, autoflushed before the seats are
counted, happens to be the transaction's first write and so takes the database
lock; with any read before that write it overbooks as well.
"""
from __future__ import annotations

import multiprocessing
import queue
import threading
import traceback

import pytest
from sqlalchemy import func, select

from elearn import create_app
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.people.models import Person
from elearn.scheduling import activities, services
from elearn.scheduling.models import Registration, RegistrationState
from tests import factories
from tests.conftest import BASE_CONFIG
from tests.scheduling.factories import make_activity, one_session

PROCESSES = 4
TIMEOUT = 60


def _act(config: dict, jobs: list[tuple], start, results) -> None:
    """In a child process: one thread per job, all released together by `start`.

    A job is ("register", activity_id, person_id) or ("withdraw", registration_id).
    Each thread has its own app context, so its own session and connection.
    """
    app = create_app(config)
    outcomes: list = []

    def run(job):
        with app.app_context():
            try:
                if job[0] == "register":
                    _, activity_id, person_id = job
                    person = db.session.get(Person, person_id)
                    start.wait(timeout=TIMEOUT)
                    outcome = services.register(activity_id, person)
                    outcomes.append((job, outcome.registration.state.value, outcome.registration.waitlist_position))
                else:
                    registration = db.session.get(Registration, job[1])
                    start.wait(timeout=TIMEOUT)
                    services.withdraw(registration)
                    outcomes.append((job, "withdrawn", None))
            except Exception as error:  # reported to the test, which fails with it
                summary = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
                outcomes.append((job, "error", f"{summary}\n{traceback.format_exc()}"))
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


def race(app, jobs: list[tuple]) -> list:
    """Run `jobs` at the same moment, spread over PROCESSES spawned processes; returns every outcome."""
    db.session.commit()  # nothing of ours may hold a lock while the children run
    config = {key: app.config[key] for key in (*BASE_CONFIG, "SQLALCHEMY_DATABASE_URI")}
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(len(jobs)), context.Queue()
    shares = [jobs[n::PROCESSES] for n in range(PROCESSES)]
    children = [context.Process(target=_act, args=(config, share, start, results)) for share in shares]
    for child in children:
        child.start()
    outcomes = []
    try:
        for _ in children:
            outcomes.extend(results.get(timeout=TIMEOUT))
    except queue.Empty:
        pytest.fail(f"no answer from every child within {TIMEOUT} s; exit codes: {[c.exitcode for c in children]}")
    finally:
        for child in children:
            child.join(timeout=TIMEOUT)
            if child.exitcode is None:
                child.kill()
                child.join()
    assert [child.exitcode for child in children] == [0] * PROCESSES, "a child crashed: see its output above"
    results.close()
    results.join_thread()
    db.session.expire_all()
    errors = [detail for _, state, detail in outcomes if state == "error"]
    if errors:
        print(errors[0])  # the first traceback, in the captured output
        held = dict(db.session.execute(select(Registration.state, func.count()).group_by(Registration.state)).all())
        pytest.fail(f"{len(errors)} of {len(jobs)} calls failed: {sorted({e.splitlines()[0] for e in errors})}; "
                    f"the database holds {({state.value: n for state, n in held.items()})}")
    return outcomes


def registrations(activity_id: int) -> list[Registration]:
    return db.session.scalars(select(Registration).where(Registration.activity_id == activity_id)
                              .order_by(Registration.id)).all()


def in_state(activity_id: int, state: RegistrationState) -> list[Registration]:
    return [r for r in registrations(activity_id) if r.state == state]


def test_forty_people_register_at_once_for_five_seats(app):
    activity = make_activity(capacity=5)
    learners = [factories.make_person(password=None) for _ in range(40)]

    outcomes = race(app, [("register", activity.id, person.id) for person in learners])

    states = [state for _, state, _ in outcomes]
    assert (states.count("confirmed"), states.count("waitlisted")) == (5, 35)
    confirmed = in_state(activity.id, RegistrationState.CONFIRMED)
    waitlisted = in_state(activity.id, RegistrationState.WAITLISTED)
    assert len(confirmed) == 5, f"overbooked: {len(confirmed)} confirmed for 5 seats"
    positions = [r.waitlist_position for r in waitlisted]
    assert sorted(positions) == list(range(1, 36)), f"positions: {sorted(positions)}"
    assert len(registrations(activity.id)) == 40
    # What each person was told is what the database holds.
    told = {job[2]: (state, position) for job, state, position in outcomes}
    held = {r.person_id: (r.state.value, r.waitlist_position) for r in registrations(activity.id)}
    assert told == held
    # One notification per registration, written in the same transaction.
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 40
    assert services.seats_left(db.session.get(type(activity), activity.id)) == 0


def test_withdrawals_at_once_promote_from_the_waitlist_in_order(app):
    activity = make_activity(capacity=5)
    seated = [factories.make_person(password=None) for _ in range(5)]
    waiting = [factories.make_person(password=None) for _ in range(10)]
    newcomers = [factories.make_person(password=None) for _ in range(6)]
    for person in seated + waiting:
        services.register(activity.id, person)
    by_person = {r.person_id: r for r in registrations(activity.id)}
    assert [by_person[p.id].waitlist_position for p in waiting] == list(range(1, 11))
    leaving = seated[:4]
    mails_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))

    # Four confirmed people withdraw while six newcomers register, all at once.
    race(app, [("withdraw", by_person[p.id].id) for p in leaving]
         + [("register", activity.id, p.id) for p in newcomers])

    state = {r.person_id: r for r in registrations(activity.id)}
    assert {p.id for p in leaving} == {pid for pid, r in state.items() if r.state == RegistrationState.WITHDRAWN}
    confirmed = {pid for pid, r in state.items() if r.state == RegistrationState.CONFIRMED}
    # The seat nobody left, and the first four in the queue: nobody jumped it.
    assert confirmed == {seated[4].id} | {p.id for p in waiting[:4]}
    still_waiting = [p.id for p in waiting[4:]]
    assert [state[pid].state for pid in still_waiting] == [RegistrationState.WAITLISTED] * 6
    assert [state[pid].waitlist_position for pid in still_waiting] == list(range(5, 11))
    newcomer_positions = sorted(state[p.id].waitlist_position for p in newcomers)
    assert newcomer_positions == list(range(11, 17)), "newcomers queue behind, each at their own position"
    # 4 withdrawals + 4 promotions + 6 registrations, each told once.
    mails = db.session.scalar(select(func.count()).select_from(OutboxMessage)) - mails_before
    assert mails == 14
    promoted = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == "registration_confirmed",
        OutboxMessage.to_address.in_([p.email for p in waiting[:4]])))
    assert promoted == 4


# What a request sees before it gets the lock may be out of date by the time it has it: the
# services check again under the lock. A second app context stands for a second worker here.

def mails_to(person) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.to_address == person.email))


def test_a_second_approval_of_the_same_request_is_refused(app):
    activity = make_activity(capacity=1, approval_required=True)
    person = factories.make_person(password=None)
    stale = services.register(activity.id, person).registration
    assert stale.state == RegistrationState.REQUESTED
    with app.app_context():  # another trainer approves first and takes the only seat
        services.decide(db.session.get(Registration, stale.id), approve=True)
    mails = mails_to(person)

    # This trainer's page still showed the request: approving it again must not
    # count the person against their own seat and move them to the waitlist.
    with pytest.raises(services.SchedulingError, match="Only a pending request can be approved"):
        services.decide(stale, approve=True)

    registration = db.session.get(Registration, stale.id, populate_existing=True)
    assert (registration.state, registration.waitlist_position) == (RegistrationState.CONFIRMED, None)
    assert mails_to(person) == mails


def test_withdrawing_a_registration_removed_meanwhile_is_refused(app):
    activity = make_activity(capacity=1)
    person, next_in_line = factories.make_person(password=None), factories.make_person(password=None)
    stale = services.register(activity.id, person).registration
    services.register(activity.id, next_in_line)
    with app.app_context():  # a trainer removes the person, which promotes the next in line
        services.decide(db.session.get(Registration, stale.id), approve=False, message="Duplicate booking")
    mails = mails_to(person) + mails_to(next_in_line)

    with pytest.raises(services.SchedulingError, match="no longer active"):
        services.withdraw(stale)

    registration = db.session.get(Registration, stale.id, populate_existing=True)
    assert registration.state == RegistrationState.REMOVED
    assert in_state(activity.id, RegistrationState.CONFIRMED)[0].person_id == next_in_line.id
    assert mails_to(person) + mails_to(next_in_line) == mails


def test_a_registration_landing_while_a_trainer_cuts_the_capacity_never_overbooks(app, monkeypatch):
    """The trainer's "capacity below the confirmed count" check and the change are one step under the lock."""
    venue = dict(capacity=5, venue_name="Room A", venue_city="Paris")
    activity = make_activity(title="Oversight seminar", sessions=one_session(), **venue)
    for _ in range(3):
        services.register(activity.id, factories.make_person(password=None))
    latecomer = factories.make_person(password=None)
    elsewhere = []

    def register_in_another_worker():
        with app.app_context():
            services.register(activity.id, db.session.get(Person, latecomer.id))
            db.session.remove()

    real_check = services.check_activity_input

    def check_then_let_someone_register(data, existing=None):
        problems = real_check(data, existing)
        if existing is not None:
            # Someone registers just after the check; if the seats are locked they have to wait.
            thread = threading.Thread(target=register_in_another_worker)
            thread.start()
            thread.join(timeout=1)
            elsewhere.append(thread)
        return problems

    monkeypatch.setattr(activities, "check_activity_input", check_then_let_someone_register)
    services.update_activity(activity, services.ActivityInput(
        title="Oversight seminar", modality=activity.modality, timezone="Europe/Paris",
        sessions=one_session(), **{**venue, "capacity": 3}))
    [thread] = elsewhere
    thread.join(timeout=30)

    db.session.expire_all()
    capacity = db.session.get(type(activity), activity.id).capacity
    confirmed = len(in_state(activity.id, RegistrationState.CONFIRMED))
    assert confirmed <= capacity, f"overbooked: {confirmed} confirmed for a capacity of {capacity}"
    # The cut was checked and saved first; the latecomer then found the activity full.
    assert (capacity, confirmed) == (3, 3)
    [waiting] = in_state(activity.id, RegistrationState.WAITLISTED)
    assert (waiting.person_id, waiting.waitlist_position) == (latecomer.id, 1)


def test_capacity_changes_under_the_lock_refuse_a_cut_below_the_confirmed_and_promote_on_a_rise(app):
    venue = dict(venue_name="Room A", venue_city="Paris")
    activity = make_activity(title="Oversight seminar", sessions=one_session(), capacity=2, **venue)
    people = [factories.make_person(password=None) for _ in range(4)]
    for person in people:
        services.register(activity.id, person)

    def change_capacity(capacity: int) -> None:
        services.update_activity(activity, services.ActivityInput(
            title="Oversight seminar", modality=activity.modality, timezone="Europe/Paris",
            sessions=one_session(), capacity=capacity, **venue))

    with pytest.raises(services.SchedulingError, match="cannot be below the 2 people already confirmed"):
        change_capacity(1)
    db.session.expire_all()
    assert db.session.get(type(activity), activity.id).capacity == 2

    change_capacity(3)
    state = {r.person_id: r for r in registrations(activity.id)}
    assert [state[p.id].state for p in people] == [RegistrationState.CONFIRMED] * 3 + [RegistrationState.WAITLISTED]
