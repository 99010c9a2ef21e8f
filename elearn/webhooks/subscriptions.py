"""Make, list and delete a person's webhook subscriptions; read a subscription's delivery log."""
from __future__ import annotations

import base64
import secrets

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, func, select

from elearn.access import Role
from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.extensions import db
from elearn.people.models import Person
from elearn.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from elearn.webhooks.posting import UnsafeUrl, check_url
from elearn.webhooks.rights import refusal
from elearn.webhooks.sending import SECRET_PREFIX, send_again


class SubscriptionError(ValueError):
    pass


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def create_subscription(owner: Person, name: str, url: str, events: list[WebhookEvent]) -> WebhookSubscription:
    """A subscription with a new signing secret, saved with its audit row."""
    name, url = name.strip(), url.strip()
    if not name:
        raise SubscriptionError(_("Give the subscription a name, e.g. the system that receives it."))
    if not events:
        raise SubscriptionError(_("Choose at least one event."))
    try:
        check_url(url)
    except UnsafeUrl:
        raise SubscriptionError(_("Give a public http:// or https:// address: Hemicycle does not post "
                                  "to private networks.")) from None
    url = url[:500]
    _check_room_for(owner, url)
    # The parliament it is made in: after a move, nothing parliament-scoped is sent (webhooks.rights).
    subscription = WebhookSubscription(owner_id=owner.id, parliament_id=owner.parliament_id, name=name[:100],
                                       url=url, secret=new_secret(),
                                       events=" ".join(e.value for e in WebhookEvent if e in events),
                                       is_active=True)
    db.session.add(subscription)
    db.session.flush()
    record(AuditAction.WEBHOOK_CREATED, actor=owner, object_type="webhook_subscription",
           object_id=subscription.id, details={"name": subscription.name, "url": subscription.url,
                                               "events": subscription.events, "person_id": owner.id})
    db.session.commit()
    return subscription


def _check_room_for(owner: Person, url: str) -> None:
    """At most WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON subscriptions each, and one active subscription per address."""
    limit = current_app.config["WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON"]
    count = db.session.scalar(select(func.count()).select_from(WebhookSubscription)
                              .where(WebhookSubscription.owner_id == owner.id))
    if count >= limit:
        raise SubscriptionError(ngettext(
            "You have %(num)d subscription, the most allowed: delete one before adding another.",
            "You have %(num)d subscriptions, the most allowed: delete one before adding another.", limit))
    duplicate = db.session.scalar(select(WebhookSubscription.id).where(
        WebhookSubscription.owner_id == owner.id, WebhookSubscription.url == url, WebhookSubscription.is_active))
    if duplicate is not None:
        raise SubscriptionError(_("You already have a subscription posting to this address: to change its "
                                  "events, delete it and subscribe again."))


def delete_subscription(subscription: WebhookSubscription, *, actor: Person) -> None:
    """Stop sending and forget the log (its rows go with the subscription)."""
    record(AuditAction.WEBHOOK_DELETED, actor=actor, object_type="webhook_subscription",
           object_id=subscription.id, details={"name": subscription.name, "url": subscription.url,
                                               "person_id": subscription.owner_id})
    db.session.execute(db.delete(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id))
    db.session.delete(subscription)
    db.session.commit()


def subscriptions_of(person: Person) -> list[WebhookSubscription]:
    return list(db.session.scalars(select(WebhookSubscription).where(WebhookSubscription.owner_id == person.id)
                                   .order_by(WebhookSubscription.created_at.desc(), WebhookSubscription.id.desc())))


def events_of(subscription: WebhookSubscription) -> list[WebhookEvent]:
    values = set(subscription.events.split())
    return [event for event in WebhookEvent if event.value in values]


def readable_by(subscription: WebhookSubscription | None, person: Person) -> bool:
    """The owner reads the log; administrators read every log (to help a partner)."""
    return subscription is not None and (subscription.owner_id == person.id or Role(person.role) == Role.ADMIN)


def delivery_log(subscription: WebhookSubscription) -> Select:
    return (select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id)
            .order_by(WebhookDelivery.id.desc()))


def resend(delivery: WebhookDelivery) -> None:
    if delivery.status != DeliveryStatus.FAILED:
        raise SubscriptionError(_("Only a failed delivery can be sent again."))
    # The rights are checked again here (and again before the post): a delivery refused for them stays failed.
    reason = refusal(delivery)
    if reason is not None:
        delivery.last_error = reason
        db.session.commit()
        raise SubscriptionError(_("This delivery cannot be sent again: its subscription's owner may no longer "
                                  "receive it (see the reason in the log)."))
    send_again(delivery)
