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
import ipaddress
import json
import socket
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import requests
from flask import current_app

from elearn.database import utcnow
from elearn.extensions import db
from elearn.outbox import claim_batch, release_stale_claims, retry_delay
from elearn.webhooks.models import DeliveryStatus, WebhookDelivery

CLAIM_BATCH = 10
SECRET_PREFIX = "whsec_"
ERROR_LENGTH = 500


class UnsafeUrl(ValueError):
    """An address Hemicycle will not post to (not http(s), or inside a private network)."""


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def private_urls_allowed() -> bool:
    allowed = current_app.config.get("WEBHOOK_ALLOW_PRIVATE_URLS")
    if allowed is None:  # unset: a developer's or a test's receiver runs on 127.0.0.1
        return bool(current_app.debug or current_app.testing)
    return bool(allowed)


def check_url(url: str) -> None:
    """Refuse what is not http(s) and, unless allowed, any host resolving to a non-public address.

    Checked when subscribing and again before each post, since a name may point elsewhere by then.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("Only http:// and https:// addresses can receive webhooks.")
    if private_urls_allowed():
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)}
    except (OSError, ValueError, UnicodeError) as error:
        raise UnsafeUrl(f"The host {parts.hostname} cannot be found.") from error
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise UnsafeUrl(f"The host {parts.hostname} is in a private network.")


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


def post(delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str | None]:
    """POST one delivery: (status code, error text); error None means the receiver took it (2xx)."""
    try:
        check_url(delivery.subscription.url)
        body, headers = signed_request(delivery, now)
        response = requests.post(delivery.subscription.url, data=body.encode(), headers=headers,
                                 timeout=current_app.config["WEBHOOK_TIMEOUT_SECONDS"], allow_redirects=False)
    except UnsafeUrl as error:
        return None, str(error)
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}: {response.text[:200]}"[:ERROR_LENGTH]


def _release_stale_claims(now: datetime) -> None:
    release_stale_claims(WebhookDelivery, sending=DeliveryStatus.SENDING, pending=DeliveryStatus.PENDING, now=now)


def _claim_batch(sender_id: str, now: datetime, size: int) -> list[int]:
    return claim_batch(WebhookDelivery, pending=DeliveryStatus.PENDING, sending=DeliveryStatus.SENDING, sender_id=sender_id,
                       now=now, size=size)


def send_due(*, sender_id: str, now: datetime | None = None, limit: int = 100) -> SendReport:
    """POST the deliveries whose time has come, up to `limit`, a few claimed at a time."""
    now = now or utcnow()
    report = SendReport()
    _release_stale_claims(now)
    handled = 0
    while handled < limit:
        claimed = _claim_batch(sender_id, now, min(CLAIM_BATCH, limit - handled))
        if not claimed:
            break
        handled += len(claimed)
        for delivery_id in claimed:
            delivery = db.session.get(WebhookDelivery, delivery_id)
            if delivery is not None:  # None: its subscription was deleted since the claim
                _deliver_claimed(delivery, now, report)
    return report


def _deliver_claimed(delivery: WebhookDelivery, now: datetime, report: SendReport) -> None:
    config = current_app.config
    delivery.attempts += 1
    status_code, error = post(delivery, now)
    delivery.last_status_code, delivery.last_error = status_code, error
    if error is None:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, utcnow()
        report.sent += 1
    elif delivery.attempts >= config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status = DeliveryStatus.FAILED
        report.failed += 1
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + retry_delay(delivery.attempts, config["WEBHOOK_RETRY_BASE_SECONDS"])
        report.retried += 1
    delivery.claimed_by = None
    db.session.commit()


def send_again(delivery: WebhookDelivery) -> None:
    """A failed delivery gets a fresh set of attempts, from now (the subscriber's "Send again")."""
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, utcnow()
    db.session.commit()
