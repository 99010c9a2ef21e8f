"""Rights are checked when a delivery is queued and again before each POST and each "send again"."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.access import Role
from elearn.database import utcnow
from elearn.delegations import selection
from elearn.delegations.calls_models import ApplicationStatus
from elearn.extensions import db
from elearn.scheduling import attendance, registrations
from elearn.scheduling import services as scheduling
from elearn.scheduling.models import ActivityStatus, AttendanceStatus
from elearn.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from elearn.webhooks.sending import send_due
from elearn.webhooks.subscriptions import SubscriptionError, create_subscription, resend
from tests import factories
from tests.delegations.calls_factories import applied, candidate, open_call
from tests.helpers import frozen_clock
from tests.scheduling.factories import make_activity

CONFIRMED = [WebhookEvent.REGISTRATION_CONFIRMED]
ACTIVITY_EVENTS = [WebhookEvent.ACTIVITY_PUBLISHED, WebhookEvent.ACTIVITY_CHANGED, WebhookEvent.ACTIVITY_CANCELLED]


def deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def refused_unsent(receiver, reason: str) -> None:
    [delivery] = deliveries()
    assert receiver.received == []
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.FAILED, 0, None)
    assert reason in delivery.last_error


def test_a_subscription_keeps_the_parliament_it_was_made_in(app, people, receiver):
    subscription = create_subscription(people["focal_point"], "HR", receiver.url, CONFIRMED)
    assert subscription.parliament_id == people["focal_point"].parliament_id is not None


def test_an_owner_deactivated_since_the_event_gets_nothing_posted(app, people, receiver):
    create_subscription(people["learner"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    people["learner"].is_active = False
    db.session.commit()

    assert send_due(sender_id="test").failed == 1
    refused_unsent(receiver, "no longer has an active account")


def test_an_erased_owner_gets_nothing_posted(app, people, receiver):
    create_subscription(people["learner"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    people["learner"].erased_at = utcnow()
    db.session.commit()

    send_due(sender_id="test")
    refused_unsent(receiver, "no longer has an active account")


def test_a_subscription_switched_off_since_the_event_posts_nothing(app, people, receiver):
    subscription = create_subscription(people["learner"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    subscription.is_active = False
    db.session.commit()

    send_due(sender_id="test")
    refused_unsent(receiver, "switched off")


def test_a_focal_point_who_moved_parliament_hears_no_more_of_either_parliaments_people(app, people, receiver):
    focal_point = people["focal_point"]
    create_subscription(focal_point, "HR", receiver.url, CONFIRMED)
    activity = make_activity()
    registrations.register(activity.id, people["learner"])  # queued while they were its focal point
    new_parliament = factories.make_parliament()
    focal_point.parliament = new_parliament
    db.session.commit()

    send_due(sender_id="test")
    refused_unsent(receiver, "moved to another parliament")

    newcomer = factories.make_person(email="newcomer@example.org", parliament=new_parliament)
    old_colleague = factories.make_person(email="colleague@example.org", parliament=people["learner"].parliament)
    registrations.register(activity.id, newcomer)
    registrations.register(activity.id, old_colleague)
    assert len(deliveries()) == 1  # nothing queued for them any more


def test_a_focal_point_who_lost_the_role_is_refused(app, people, receiver):
    create_subscription(people["focal_point"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    people["focal_point"].role = Role.LEARNER
    db.session.commit()

    send_due(sender_id="test")
    refused_unsent(receiver, "may no longer see")


def test_a_person_who_left_the_focal_points_parliament_is_not_told_of(app, people, receiver):
    create_subscription(people["focal_point"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    people["learner"].parliament = factories.make_parliament()
    db.session.commit()

    send_due(sender_id="test")
    refused_unsent(receiver, "may no longer see")


def test_a_trainer_demoted_before_the_post_hears_nothing_of_a_draft(app, people, receiver):
    create_subscription(people["trainer"], "Staff", receiver.url, ACTIVITY_EVENTS)
    scheduling.set_status(make_activity(status=ActivityStatus.DRAFT), ActivityStatus.CANCELLED)
    people["trainer"].role = Role.LEARNER
    db.session.commit()

    send_due(sender_id="test")
    refused_unsent(receiver, "may no longer see")


def test_attendance_of_someone_who_moved_parliament_is_not_sent(app, people, receiver):
    create_subscription(people["focal_point"], "HR", receiver.url, [WebhookEvent.ATTENDANCE_RECORDED])
    activity = make_activity()
    ours = registrations.register(activity.id, people["learner"]).registration
    session = activity.sessions[0]
    with frozen_clock(session.starts_at + timedelta(hours=1)):
        attendance.record_attendance(session, {ours.id: AttendanceStatus.PRESENT})
        people["learner"].parliament = factories.make_parliament()
        db.session.commit()
        send_due(sender_id="test")
    refused_unsent(receiver, "may no longer see")


def test_send_again_rechecks_the_rights(app, people, receiver):
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 1
    create_subscription(people["learner"], "HR", receiver.url, CONFIRMED)
    registrations.register(make_activity().id, people["learner"])
    receiver.status = 500
    send_due(sender_id="test")
    people["learner"].is_active = False
    db.session.commit()
    [delivery] = deliveries()

    try:
        resend(delivery)
        raise AssertionError("a delivery its owner may no longer receive was queued again")
    except SubscriptionError:
        pass

    [delivery] = deliveries()
    assert delivery.status == DeliveryStatus.FAILED and "active account" in delivery.last_error
    receiver.status = 204
    assert send_due(sender_id="test").sent == 0 and len(receiver.received) == 1


def test_unpublishing_tells_who_heard_of_the_publication_that_it_is_gone(app, people, receiver):
    create_subscription(people["learner"], "Mine", receiver.url, ACTIVITY_EVENTS)
    create_subscription(people["trainer"], "Staff", receiver.url, ACTIVITY_EVENTS)
    activity = make_activity()

    scheduling.set_status(activity, ActivityStatus.DRAFT)
    send_due(sender_id="test")

    told = [(d.subscription.name, d.event.value, d.payload["data"].get("previous_state"), d.status)
            for d in deliveries()[2:]]
    assert told == [("Mine", "activity.cancelled", "published", DeliveryStatus.DELIVERED),
                    ("Staff", "activity.cancelled", "published", DeliveryStatus.DELIVERED)]
    assert [d.payload["data"]["state"] for d in deliveries()[2:]] == ["draft", "draft"]


def test_selection_by_a_call_is_heard_as_registrations_confirmed_then_withdrawn(app, people, receiver):
    trainer = factories.make_person(Role.TRAINER, email="calls-trainer@example.org")
    create_subscription(people["admin"], "Staff", receiver.url,
                        [WebhookEvent.REGISTRATION_CONFIRMED, WebhookEvent.REGISTRATION_WITHDRAWN])
    call = open_call(trainer=trainer)
    person = candidate()
    application = applied(call, person)

    selection.decide(application, ApplicationStatus.SELECTED, actor=trainer)
    selection.decide(application, ApplicationStatus.DECLINED, "No seat after all.", actor=trainer)

    told = [(d.event.value, d.payload["data"]["person_id"], d.payload["data"]["state"]) for d in deliveries()]
    assert told == [("registration.confirmed", person.id, "confirmed"),
                    ("registration.withdrawn", person.id, "removed")]
    assert deliveries()[0].payload["data"]["registration_id"] == application.registration_id
