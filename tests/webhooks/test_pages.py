"""The Webhooks page: subscribe (the secret once), read the log (owner and administrators), delete, send again."""
from __future__ import annotations

from sqlalchemy import select

from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.scheduling import registrations
from elearn.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from elearn.webhooks.sending import send_due
from elearn.webhooks.subscriptions import create_subscription
from tests.helpers import post_form, text
from tests.scheduling.factories import make_activity


def failed_delivery(people, receiver, app) -> WebhookDelivery:
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 1
    subscription = create_subscription(people["learner"], "HR system", receiver.url,
                                       [WebhookEvent.REGISTRATION_CONFIRMED])
    registrations.register(make_activity().id, people["learner"])
    receiver.status = 500
    send_due(sender_id="test")
    return db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id))


def test_subscribing_shows_the_secret_once_and_is_audited(app, people, login_as, receiver):
    client = login_as("learner")

    response = post_form(client, "/account/webhooks/", {"name": "HR system", "url": receiver.url,
                                                         "events": ["registration.confirmed", "activity.changed"]})

    assert response.status_code == 201
    subscription = db.session.scalar(select(WebhookSubscription))
    assert subscription.secret.startswith("whsec_") and subscription.secret in text(response)
    assert subscription.events == "registration.confirmed activity.changed"
    page = text(client.get("/account/webhooks/"))
    assert "HR system" in page and subscription.secret not in page
    assert db.session.scalar(select(AuditEvent.action)) == AuditAction.WEBHOOK_CREATED


def test_a_bad_address_or_no_event_is_refused(app, people, login_as):
    client = login_as("learner")

    no_events = post_form(client, "/account/webhooks/", {"name": "HR", "url": "https://hr.example.org/h"})
    not_http = post_form(client, "/account/webhooks/", {"name": "HR", "url": "file:///etc/passwd",
                                                        "events": ["activity.changed"]})

    assert (no_events.status_code, not_http.status_code) == (422, 422)
    assert "http:// or https://" in text(not_http)
    assert db.session.scalar(select(WebhookSubscription)) is None


def test_the_owner_reads_the_log_others_get_404_administrators_read_it(app, people, login_as, receiver):
    delivery = failed_delivery(people, receiver, app)
    url = f"/account/webhooks/{delivery.subscription_id}"

    page = text(login_as("learner").get(url))
    assert "registration.confirmed" in page and "HTTP 500" in page and "Send again" in page
    assert login_as("focal_point").get(url).status_code == 404
    assert login_as("trainer").get(url).status_code == 404
    assert "registration.confirmed" in text(login_as("admin").get(url))


def test_send_again_gives_a_failed_delivery_fresh_attempts(app, people, login_as, receiver):
    delivery = failed_delivery(people, receiver, app)
    path = f"/account/webhooks/deliveries/{delivery.id}/send-again"

    assert post_form(login_as("focal_point"), path, token_from="/account/webhooks/").status_code == 404
    response = post_form(login_as("learner"), path, token_from="/account/webhooks/")

    assert response.status_code == 302
    db.session.expire_all()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    receiver.status = 204
    assert send_due(sender_id="test").sent == 1


def test_deleting_stops_deliveries_and_only_the_owner_may(app, people, login_as, receiver):
    delivery = failed_delivery(people, receiver, app)
    subscription_id = delivery.subscription_id
    path = f"/account/webhooks/{subscription_id}/delete"

    assert post_form(login_as("focal_point"), path, token_from="/account/webhooks/").status_code == 404
    response = post_form(login_as("learner"), path, token_from="/account/webhooks/")

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(WebhookSubscription, subscription_id) is None
    assert db.session.scalar(select(WebhookDelivery)) is None
    assert AuditAction.WEBHOOK_DELETED in set(db.session.scalars(select(AuditEvent.action)))


def test_a_post_without_the_csrf_token_is_refused(app, people, login_as, receiver):
    delivery = failed_delivery(people, receiver, app)

    response = login_as("learner").post(f"/account/webhooks/{delivery.subscription_id}/delete")

    assert response.status_code == 400
    assert db.session.get(WebhookSubscription, delivery.subscription_id) is not None


def test_a_person_may_have_ten_subscriptions_and_one_per_address(app, people, login_as, receiver):
    assert app.config["WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON"] == 10
    client = login_as("learner")
    form = {"name": "HR", "url": receiver.url, "events": ["activity.changed"]}

    assert post_form(client, "/account/webhooks/", form).status_code == 201
    again = post_form(client, "/account/webhooks/", form)
    assert again.status_code == 422 and "already have a subscription posting to this address" in text(again)

    for n in range(2, 11):
        assert post_form(client, "/account/webhooks/", {**form, "url": f"{receiver.url}/{n}"}).status_code == 201
    eleventh = post_form(client, "/account/webhooks/", {**form, "url": f"{receiver.url}/11"})

    assert eleventh.status_code == 422 and "You have 10 subscriptions, the most allowed" in text(eleventh)
    assert len(db.session.scalars(select(WebhookSubscription)).all()) == 10
    # Another person's subscriptions do not count against the learner's.
    assert post_form(login_as("trainer"), "/account/webhooks/", form).status_code == 201


def test_send_again_is_refused_when_the_owner_may_no_longer_receive_it(app, people, login_as, receiver):
    delivery = failed_delivery(people, receiver, app)
    people["learner"].is_active = False
    db.session.commit()
    path = f"/account/webhooks/deliveries/{delivery.id}/send-again"

    admin = login_as("admin")
    response = post_form(admin, path, token_from="/account/webhooks/")

    assert response.status_code == 302
    db.session.expire_all()
    assert delivery.status == DeliveryStatus.FAILED and "active account" in delivery.last_error
    page = text(admin.get(f"/account/webhooks/{delivery.subscription_id}"))
    assert "cannot be sent again" in page and "active account" in page
