"""Seats, waitlists, approvals, quotas and nominations, through the services."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.people.models import PersonKind
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, Audience, Registration, RegistrationState
from tests.factories import make_parliament, make_person
from tests.helpers import frozen_clock, run_jobs
from tests.scheduling.factories import make_activity, one_session

States = RegistrationState


def states(activity):
    db.session.expire_all()
    rows = db.session.scalars(select(Registration).where(Registration.activity_id == activity.id)
                              .order_by(Registration.id)).all()
    return [(r.person.full_name, r.state, services.waitlist_rank(r)) for r in rows]


@pytest.fixture
def learners(app):
    return [make_person(full_name=f"Learner {n}") for n in range(1, 7)]


def test_seats_are_confirmed_then_people_wait_in_order(learners):
    activity = make_activity(capacity=2)
    outcomes = [services.register(activity.id, person) for person in learners[:4]]
    assert [o.registration.state for o in outcomes] == [States.CONFIRMED, States.CONFIRMED,
                                                         States.WAITLISTED, States.WAITLISTED]
    assert [services.waitlist_rank(o.registration) for o in outcomes[2:]] == [1, 2]
    assert services.seats_left(activity) == 0


def test_registering_twice_is_harmless(learners):
    activity = make_activity(capacity=2)
    first = services.register(activity.id, learners[0])
    again = services.register(activity.id, learners[0])
    assert again.created is False and again.registration.id == first.registration.id
    assert db.session.query(Registration).count() == 1


def test_withdrawing_frees_the_seat_for_the_first_in_line(learners):
    activity = make_activity(capacity=1)
    first, second, third = (services.register(activity.id, p).registration for p in learners[:3])
    services.withdraw(first)
    assert states(activity) == [("Learner 1", States.WITHDRAWN, None), ("Learner 2", States.CONFIRMED, None),
                                ("Learner 3", States.WAITLISTED, 1)]
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == learners[1].email).order_by(OutboxMessage.id))]
    assert subjects[-1].startswith("A seat is free for you")


def test_raising_the_capacity_promotes_from_the_waitlist(learners):
    activity = make_activity(capacity=1)
    for person in learners[:3]:
        services.register(activity.id, person)
    data = services.ActivityInput(title=activity.title, modality=activity.modality, timezone=activity.timezone,
                                  sessions=one_session(), capacity=3)
    services.update_activity(activity, data)
    assert [s for _, s, _ in states(activity)] == [States.CONFIRMED] * 3


def test_a_withdrawn_person_can_register_again_at_the_back_of_the_line(learners):
    activity = make_activity(capacity=1)
    first = services.register(activity.id, learners[0]).registration
    services.register(activity.id, learners[1])
    services.withdraw(first)
    again = services.register(activity.id, learners[0])
    assert again.created and again.registration.state == States.WAITLISTED


def test_quota_is_respected_and_the_next_eligible_person_is_promoted(app):
    gambia, malawi = make_parliament(name_en="Gambia"), make_parliament(name_en="Malawi")
    activity = make_activity(capacity=2, quota_per_parliament=1)
    g1 = make_person(full_name="G1", parliament=gambia)
    g2 = make_person(full_name="G2", parliament=gambia)
    m1 = make_person(full_name="M1", parliament=malawi)
    m2 = make_person(full_name="M2", parliament=malawi)
    registrations = [services.register(activity.id, p).registration for p in (g1, g2, m1, m2)]
    # G2 waits for Gambia's quota, not for a seat, so M1 takes the free seat without passing anyone.
    assert states(activity) == [("G1", States.CONFIRMED, None), ("G2", States.WAITLISTED, 1),
                                ("M1", States.CONFIRMED, None), ("M2", States.WAITLISTED, 2)]
    services.withdraw(registrations[2])  # M1 leaves: G2 is first in line but at quota, so M2 gets it
    assert states(activity) == [("G1", States.CONFIRMED, None), ("G2", States.WAITLISTED, 1),
                                ("M1", States.WITHDRAWN, None), ("M2", States.CONFIRMED, None)]
    services.withdraw(registrations[0])  # G1 leaves: G2 finally gets Gambia's seat
    assert ("G2", States.CONFIRMED, None) in states(activity)


def test_raising_the_quota_promotes_the_people_it_blocked(app):
    gambia = make_parliament()
    activity = make_activity(capacity=3, quota_per_parliament=1)
    people = [make_person(full_name=f"G{n}", parliament=gambia) for n in (1, 2)]
    for person in people:
        services.register(activity.id, person)
    data = services.ActivityInput(title=activity.title, modality=activity.modality, timezone=activity.timezone,
                                  sessions=one_session(), capacity=3, quota_per_parliament=2,
                                  venue_name="Room A", venue_city="Paris")
    services.update_activity(activity, data)
    assert [s for _, s, _ in states(activity)] == [States.CONFIRMED, States.CONFIRMED]


def test_approval_flow_with_a_message_in_the_mail(learners):
    activity = make_activity(capacity=1, approval_required=True)
    first = services.register(activity.id, learners[0]).registration
    second = services.register(activity.id, learners[1]).registration
    assert first.state == second.state == States.REQUESTED
    services.decide(first, approve=True)
    services.decide(second, approve=False, message="The seminar is for committee clerks.")
    assert [s for _, s, _ in states(activity)] == [States.CONFIRMED, States.DECLINED]
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == learners[1].email)
                              .order_by(OutboxMessage.id.desc())).first()
    assert "declined" in mail.subject.lower()
    assert "The seminar is for committee clerks." in mail.body_text


def test_every_state_change_writes_a_mail(learners):
    activity = make_activity(capacity=1)
    services.register(activity.id, learners[0])
    waiting = services.register(activity.id, learners[1]).registration
    services.withdraw(waiting)
    kinds = [m.kind for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == ["registration_confirmed", "registration_waitlisted", "registration_withdrawn"]


@pytest.mark.parametrize("setup, message", [
    (dict(status=ActivityStatus.DRAFT), "not open for registration"),
    (dict(status=ActivityStatus.CANCELLED), "cancelled"),
    (dict(registration_closes_at=utcnow() - timedelta(hours=1)), "Registration is closed"),
    (dict(registration_opens_at=utcnow() + timedelta(days=1)), "has not opened yet"),
    (dict(audience=Audience.MPS), "for members of parliament"),
])
def test_who_may_not_register_is_told_why_and_nothing_is_saved(app, setup, message):
    person = make_person(kind=PersonKind.STAFF)
    activity = make_activity(**setup)
    with pytest.raises(services.SchedulingError, match=message):
        services.register(activity.id, person)
    assert db.session.query(Registration).count() == 0


def test_only_invited_parliaments_may_register(app):
    invited, other = make_parliament(), make_parliament()
    activity = make_activity(invited_parliament_ids=(invited.id,))
    with pytest.raises(services.SchedulingError, match="not invited"):
        services.register(activity.id, make_person(parliament=other))
    assert services.register(activity.id, make_person(parliament=invited)).registration.state == States.CONFIRMED


def test_window_opens_and_closes_with_the_clock(app):
    opens = utcnow() + timedelta(days=1)
    activity = make_activity(registration_opens_at=opens, registration_closes_at=opens + timedelta(days=2))
    person = make_person()
    with frozen_clock(opens - timedelta(minutes=1)), pytest.raises(services.SchedulingError):
        services.register(activity.id, person)
    with frozen_clock(opens + timedelta(hours=1)):
        assert services.register(activity.id, person).registration.state == States.CONFIRMED


def test_focal_point_nominates_within_quota_and_only_their_own_people(app):
    parliament, other = make_parliament(), make_parliament()
    focal = make_person(Role.FOCAL_POINT, parliament=parliament)
    colleagues = [make_person(parliament=parliament) for _ in range(3)]
    stranger = make_person(parliament=other)
    activity = make_activity(capacity=10, quota_per_parliament=2)
    with pytest.raises(services.SchedulingError, match="own parliament"):
        services.nominate(activity.id, stranger, focal)
    first = services.nominate(activity.id, colleagues[0], focal).registration
    services.nominate(activity.id, colleagues[1], focal)
    assert first.nominated_by_id == focal.id and first.state == States.CONFIRMED
    with pytest.raises(services.SchedulingError, match="quota of 2 seats"):
        services.nominate(activity.id, colleagues[2], focal)
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == colleagues[0].email)).one()
    assert "focal point, has nominated you" in mail.body_text


def test_a_learner_cannot_nominate(app):
    learner = make_person()
    with pytest.raises(services.SchedulingError):
        services.nominate(make_activity().id, make_person(), learner)


def test_cancelling_keeps_registrations_and_tells_everyone(learners):
    activity = make_activity(capacity=1)
    services.register(activity.id, learners[0])
    services.register(activity.id, learners[1])
    services.set_status(activity, ActivityStatus.CANCELLED)
    assert [s for _, s, _ in states(activity)] == [States.CONFIRMED, States.WAITLISTED]
    run_jobs()  # the background worker mails them
    cancelled = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "activity_cancelled")).all()
    assert sorted(m.to_address for m in cancelled) == sorted(p.email for p in learners[:2])
    assert all("is cancelled" in m.body_text for m in cancelled)


def test_unpublishing_an_activity_with_registrations_is_refused(learners):
    activity = make_activity()
    services.register(activity.id, learners[0])
    with pytest.raises(services.SchedulingError, match="cancel the activity instead"):
        services.set_status(activity, ActivityStatus.DRAFT)
