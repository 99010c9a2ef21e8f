"""Who may hear of what: one rule, run when a delivery is queued (receivers) and again before each post
(sending), since an owner's role, parliament or account may change while a delivery waits for its turn.

A subscription keeps the parliament its owner was in when subscribing: after the owner moves, it reads
nothing parliament-scoped (a focal point who moved hears no more of either parliament's people), as an
API token's parliament scopes lapse (elearn.api.tokens.effective_scopes).
"""
from __future__ import annotations

from sqlalchemy import select

from elearn.access import Role
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, ActivityStatus, Registration
from elearn.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription

STAFF_ROLES = (Role.TRAINER, Role.ADMIN)
REGISTRATION_EVENTS = (WebhookEvent.REGISTRATION_CONFIRMED, WebhookEvent.REGISTRATION_PROMOTED,
                       WebhookEvent.REGISTRATION_WITHDRAWN)
ACTIVITY_EVENTS = (WebhookEvent.ACTIVITY_PUBLISHED, WebhookEvent.ACTIVITY_CHANGED, WebhookEvent.ACTIVITY_CANCELLED)


def is_staff(person: Person) -> bool:
    return Role(person.role) in STAFF_ROLES


def keeps_its_parliament(subscription: WebhookSubscription) -> bool:
    return subscription.parliament_id is not None and subscription.parliament_id == subscription.owner.parliament_id


def focal_point_of(subscription: WebhookSubscription, parliament_id: int | None) -> bool:
    """The owner is, today, the focal point of `parliament_id`, the parliament they subscribed in."""
    owner = subscription.owner
    return (Role(owner.role) == Role.FOCAL_POINT and parliament_id is not None
            and keeps_its_parliament(subscription) and owner.parliament_id == parliament_id)


def may_read_registration(subscription: WebhookSubscription, person_id: int, parliament_id: int | None) -> bool:
    owner = subscription.owner
    return owner.id == person_id or is_staff(owner) or focal_point_of(subscription, parliament_id)


def may_read_activity(subscription: WebhookSubscription, public: bool) -> bool:
    # A draft is the staff's: learners and focal points must not learn that it exists.
    return public or is_staff(subscription.owner)


def activity_news_is_public(new: ActivityStatus, old: ActivityStatus | None) -> bool:
    """Was the activity public before or after the change? A draft cancelled before it was ever published
    stays unknown outside the staff; one published then sent back to draft was public (its subscribers
    heard it was published and now hear it is gone)."""
    if old is None:  # an edit (activity.changed without a status change): only published ones are news
        return new == ActivityStatus.PUBLISHED
    return ActivityStatus.DRAFT not in (new, old) or old == ActivityStatus.PUBLISHED or new == ActivityStatus.PUBLISHED


def visible_registrations(subscription: WebhookSubscription, parliament_of: dict[int, int | None],
                          registration_ids: list[int]) -> list[int]:
    """The registrations whose attendance the owner may read: all for staff, their parliament's for a focal point."""
    if is_staff(subscription.owner):
        return sorted(registration_ids)
    return sorted(rid for rid in registration_ids if rid in parliament_of
                  and focal_point_of(subscription, parliament_of[rid]))


def parliaments_of_registrations(registration_ids: list[int]) -> dict[int, int | None]:
    """Registration id → its person's parliament today (one query; a deleted registration is absent)."""
    return dict(db.session.execute(
        select(Registration.id, Person.parliament_id).join(Registration.person)
        .where(Registration.id.in_(registration_ids))).all())


# At send time --------------------------------------------------------------------------------------------

def refusal(delivery: WebhookDelivery) -> str | None:
    """Why `delivery` may no longer be posted (the subscriber reads it in the log), or None if it may."""
    subscription = delivery.subscription
    owner = subscription.owner
    if not subscription.is_active:
        return "Not sent: the subscription is switched off."
    if not owner.is_active or owner.erased_at is not None:
        return "Not sent: the subscription's owner no longer has an active account."
    if not _may_still_read(subscription, WebhookEvent(delivery.event), delivery.payload.get("data") or {}):
        if subscription.parliament_id is not None and not keeps_its_parliament(subscription):
            return "Not sent: the subscription's owner has moved to another parliament since subscribing."
        return "Not sent: the subscription's owner may no longer see what this event is about."
    return None


def _row(model, row_id):
    """The row whose id the payload names; None when it names none (an incomplete payload is refused)."""
    return db.session.get(model, row_id) if isinstance(row_id, int) else None


def _may_still_read(subscription: WebhookSubscription, event: WebhookEvent, data: dict) -> bool:
    if event in REGISTRATION_EVENTS:
        person = _row(Person, data.get("person_id"))
        return person is not None and may_read_registration(subscription, person.id, person.parliament_id)
    if event in ACTIVITY_EVENTS:
        if data.get("state") not in set(ActivityStatus):
            return False
        activity = _row(Activity, data.get("activity_id"))
        if activity is None:
            return is_staff(subscription.owner)
        old = data.get("previous_state")
        public = activity_news_is_public(ActivityStatus(data["state"]),
                                         ActivityStatus(old) if old in set(ActivityStatus) else None)
        # News of a published activity that has since gone back to draft would reveal a draft.
        if event != WebhookEvent.ACTIVITY_CANCELLED and activity.status == ActivityStatus.DRAFT:
            public = False
        return may_read_activity(subscription, public)
    if event == WebhookEvent.ATTENDANCE_RECORDED:
        ids = list(data.get("registration_ids") or [])
        if not all(isinstance(rid, int) for rid in ids):
            return False
        return bool(ids) and visible_registrations(subscription, parliaments_of_registrations(ids), ids) == sorted(ids)
    return False
