"""Turn scheduling's signals into delivery rows, one per subscription whose owner may read what changed.

The rows join the change's transaction (the signals are sent before it commits): they exist if and only if
the change does. Nothing here commits. Payloads are thin (ids and states): a receiver that wants names
asks the API, which checks the caller's rights at that moment.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import literal, select
from sqlalchemy.orm import joinedload

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling import events as scheduling_events
from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus, Registration, RegistrationState
from elearn.webhooks import rights
from elearn.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription


def subscriptions_to(event: WebhookEvent) -> list[WebhookSubscription]:
    """Every active subscription to `event` of a person still active (not erased), with its owner: one query."""
    padded_events = literal(" ") + WebhookSubscription.events + literal(" ")
    return list(db.session.scalars(
        select(WebhookSubscription).join(WebhookSubscription.owner)
        .where(WebhookSubscription.is_active, Person.is_active, Person.erased_at.is_(None), padded_events.contains(f" {event.value} "))
        .options(joinedload(WebhookSubscription.owner))
        .order_by(WebhookSubscription.id)))


def new_event_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def queue_delivery(subscription: WebhookSubscription, event: WebhookEvent, data: dict) -> WebhookDelivery:
    now = utcnow()
    event_id = new_event_id()
    delivery = WebhookDelivery(
        subscription_id=subscription.id, event=event, event_id=event_id,
        payload={"id": event_id, "type": event.value, "occurred_at": now.isoformat(), "data": data},
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, created_at=now)
    db.session.add(delivery)
    return delivery


def fan_out(event: WebhookEvent, data_for: Callable[[WebhookSubscription], dict | None]) -> None:
    """A delivery for each subscription to `event` whose owner gets some data (None: they may not know)."""
    for subscription in subscriptions_to(event):
        data = data_for(subscription)
        if data is not None:
            queue_delivery(subscription, event, data)


# Registrations ----------------------------------------------------------------------------------------

def registration_event(registration: Registration, promoted: bool) -> WebhookEvent | None:
    if registration.state == RegistrationState.CONFIRMED:
        return WebhookEvent.REGISTRATION_PROMOTED if promoted else WebhookEvent.REGISTRATION_CONFIRMED
    # A trainer's removal ends a seat as a withdrawal does; data.state tells the two apart.
    if registration.state in (RegistrationState.WITHDRAWN, RegistrationState.REMOVED):
        return WebhookEvent.REGISTRATION_WITHDRAWN
    return None  # requested, waitlisted, declined: not among the events offered


def on_registration_changed(registration: Registration, promoted: bool = False, **_extra) -> None:
    event = registration_event(registration, promoted)
    if event is None:
        return
    person_id = registration.person_id
    parliament_id = registration.person.parliament_id
    data = {"registration_id": registration.id, "activity_id": registration.activity_id,
            "person_id": person_id, "state": RegistrationState(registration.state).value}

    def data_for(subscription: WebhookSubscription) -> dict | None:
        return data if rights.may_read_registration(subscription, person_id, parliament_id) else None

    fan_out(event, data_for)


# Activities ---------------------------------------------------------------------------------------------

def activity_event(old: ActivityStatus, new: ActivityStatus) -> WebhookEvent | None:
    if new == ActivityStatus.CANCELLED:
        return WebhookEvent.ACTIVITY_CANCELLED
    if new == ActivityStatus.PUBLISHED:
        return WebhookEvent.ACTIVITY_PUBLISHED if old == ActivityStatus.DRAFT else WebhookEvent.ACTIVITY_CHANGED
    if new == ActivityStatus.DRAFT and old == ActivityStatus.PUBLISHED:
        # Unpublished (allowed while nobody is registered): for those who heard it was published, it is gone.
        return WebhookEvent.ACTIVITY_CANCELLED
    return None  # completed


def activity_fan_out(activity: Activity, event: WebhookEvent, public: bool, **extra) -> None:
    data = {"activity_id": activity.id, "programme_id": activity.programme_id,
            "state": ActivityStatus(activity.status).value, **extra}
    fan_out(event, lambda subscription: data if rights.may_read_activity(subscription, public) else None)


def on_activity_status_changed(activity: Activity, old: ActivityStatus, new: ActivityStatus, **_extra) -> None:
    event = activity_event(ActivityStatus(old), ActivityStatus(new))
    if event is None:
        return
    public = rights.activity_news_is_public(ActivityStatus(new), ActivityStatus(old))
    activity_fan_out(activity, event, public, previous_state=ActivityStatus(old).value)


def on_activity_updated(activity: Activity, **_extra) -> None:
    if activity.status != ActivityStatus.PUBLISHED:
        return  # edits to a draft, a cancelled or a completed activity are nobody's news
    activity_fan_out(activity, WebhookEvent.ACTIVITY_CHANGED, True)


# Attendance ---------------------------------------------------------------------------------------------

def on_attendance_recorded(session: ActivitySession, registration_ids: list[int] = (), **_extra) -> None:
    if not registration_ids:
        return
    subscriptions = subscriptions_to(WebhookEvent.ATTENDANCE_RECORDED)
    if not subscriptions:
        return
    # One query for the people's parliaments, whatever the number of subscribers.
    parliament_of = rights.parliaments_of_registrations(list(registration_ids))
    for subscription in subscriptions:
        visible = rights.visible_registrations(subscription, parliament_of, list(registration_ids))
        if visible:
            queue_delivery(subscription, WebhookEvent.ATTENDANCE_RECORDED,
                           {"session_id": session.id, "activity_id": session.activity_id,
                            "registration_ids": visible})


def connect() -> None:
    # Module-level functions: blinker's weak references to them last as long as the module.
    scheduling_events.registration_changed.connect(on_registration_changed)
    scheduling_events.activity_status_changed.connect(on_activity_status_changed)
    scheduling_events.activity_updated.connect(on_activity_updated)
    scheduling_events.attendance_recorded.connect(on_attendance_recorded)
