"""Deliver the webhook outbox: claim due rows, POST them signed, retry with backoff, give up after a while.

Claiming follows the mail outbox (elearn/mail/services.py): FOR UPDATE SKIP LOCKED on PostgreSQL, a
conditional UPDATE on SQLite, and claims left by a sender that died are released after elearn.outbox.STALE_CLAIM.
Delivery is at least once: a receiver that answered but whose answer was lost gets the same webhook-id
again and should ignore it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from elearn.database import utcnow
from elearn.extensions import db
from elearn.outbox import claim_batch, release_stale_claims, retry_delay
from elearn.webhooks import posting
from elearn.webhooks.models import DeliveryStatus, WebhookDelivery
from elearn.webhooks.rights import refusal

CLAIM_BATCH = 10
SECRET_PREFIX = "whsec_"


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def signing_key(secret: str) -> bytes:
    # Standard Webhooks: the secret is "whsec_" and the base64 of the key's bytes.
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, event_id: str, timestamp: int, body: str) -> str:
    digest = hmac.new(signing_key(secret), f"{event_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_request(delivery: WebhookDelivery, now: datetime) -> tuple[str, dict]:
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Hemicycle-Webhooks/1",
        "webhook-id": delivery.event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(delivery.subscription.secret, delivery.event_id, timestamp, body),
    }
    return body, headers


def _release_stale_claims(now: datetime) -> None:
    release_stale_claims(WebhookDelivery, sending=DeliveryStatus.SENDING, pending=DeliveryStatus.PENDING, now=now)


def _claim_batch(sender_id: str, now: datetime, size: int) -> list[int]:
    return claim_batch(WebhookDelivery, pending=DeliveryStatus.PENDING, sending=DeliveryStatus.SENDING, sender_id=sender_id,
                       now=now, size=size)


def send_due(*, sender_id: str, now: datetime | None = None, limit: int = 100,
             budget_seconds: float | None = None) -> SendReport:
    """POST the deliveries whose time has come, up to `limit`, a few claimed at a time.

    `now` says which deliveries are due (a test's clock); each POST is signed and rescheduled at the moment
    it is made. No new batch is claimed once `budget_seconds` (WEBHOOK_SEND_BUDGET_SECONDS) have passed,
    so slow receivers cannot keep `flask mail send` from the mail.
    """
    now = now or utcnow()
    budget = current_app.config["WEBHOOK_SEND_BUDGET_SECONDS"] if budget_seconds is None else budget_seconds
    stop_claiming_at = time.monotonic() + budget
    report = SendReport()
    _release_stale_claims(now)
    handled = 0
    while handled < limit and time.monotonic() < stop_claiming_at:
        claimed = _claim_batch(sender_id, now, min(CLAIM_BATCH, limit - handled))
        if not claimed:
            break
        handled += len(claimed)
        for delivery_id in claimed:
            delivery = db.session.get(WebhookDelivery, delivery_id)
            if delivery is not None:  # None: its subscription was deleted since the claim
                _deliver_claimed(delivery, now, report)
    return report


def _deliver_claimed(delivery: WebhookDelivery, due: datetime, report: SendReport) -> None:
    """Post one claimed delivery, unless its owner may no longer hear of it (then it fails, unsent)."""
    config = current_app.config
    delivery.claimed_by = None
    reason = refusal(delivery)
    if reason is not None:
        delivery.status, delivery.last_status_code, delivery.last_error = DeliveryStatus.FAILED, None, reason
        report.failed += 1
        db.session.commit()
        return
    delivery.attempts += 1
    body, headers = signed_request(delivery, utcnow())
    status_code, error = posting.post(delivery.subscription.url, body.encode(), headers)
    # A test's clock (`due` in the future) keeps its schedule; otherwise the moment the answer came.
    sent_at = max(utcnow(), due)
    delivery.last_status_code, delivery.last_error = status_code, error
    if error is None:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, sent_at
        report.sent += 1
    elif delivery.attempts >= config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status = DeliveryStatus.FAILED
        report.failed += 1
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = sent_at + retry_delay(delivery.attempts, config["WEBHOOK_RETRY_BASE_SECONDS"])
        report.retried += 1
    db.session.commit()


def send_again(delivery: WebhookDelivery) -> None:
    """A failed delivery gets a fresh set of attempts, from now (the subscriber's "Send again")."""
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, utcnow()
    db.session.commit()
