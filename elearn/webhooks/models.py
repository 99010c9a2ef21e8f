"""A subscription (where to post, which events, the signing secret) and its deliveries (the outbox and log)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.extensions import db
from elearn.people.models import Person


class WebhookEvent(enum.StrEnum):
    REGISTRATION_CONFIRMED = "registration.confirmed"
    REGISTRATION_WITHDRAWN = "registration.withdrawn"
    REGISTRATION_PROMOTED = "registration.promoted"
    ACTIVITY_PUBLISHED = "activity.published"
    ACTIVITY_CHANGED = "activity.changed"
    ACTIVITY_CANCELLED = "activity.cancelled"
    ATTENDANCE_RECORDED = "attendance.recorded"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookSubscription(db.Model):
    __tablename__ = "webhook_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The person whose rights filter what is sent (a focal point hears of their parliament's people only).
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # The owner's parliament when they subscribed: after a move, nothing more is sent (webhooks.rights).
    parliament_id: Mapped[Optional[int]] = mapped_column(ForeignKey("parliament.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(500))
    # Signs each delivery (HMAC-SHA256): the receiver holds the same secret, so it is kept, not hashed.
    secret: Mapped[str] = mapped_column(String(100))
    # Space-separated WebhookEvent values.
    events: Mapped[str] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[Person] = relationship()


class WebhookDelivery(db.Model):
    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_log", "subscription_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscription.id", ondelete="CASCADE"))
    event: Mapped[WebhookEvent] = mapped_column(string_enum(WebhookEvent, "webhook_event"))
    # Sent as the body and as the Webhook-Id header: a receiver that sees an id twice (a retry after a
    # lost answer) can ignore the second.
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(string_enum(DeliveryStatus, "webhook_delivery_status"),
                                                   default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[Optional[str]] = mapped_column(String(100))
    claimed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_status_code: Mapped[Optional[int]]
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    subscription: Mapped[WebhookSubscription] = relationship()
