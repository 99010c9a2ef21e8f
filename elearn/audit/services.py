"""Write audit events in the caller's transaction; read the latest noteworthy ones for the dashboard."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db
from elearn.logs import redactor


def record(action: AuditAction, *, actor, object_type: str, object_id: int | None,
           details: dict | None = None) -> AuditEvent:
    """Add an event to the session; it is saved with the caller's change, or not at all.

    The address is the request's, as corrected by ProxyFix when PROXY_FIX_HOPS is set.
    """
    actor_id = getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(action=action, actor_id=actor_id, object_type=object_type, object_id=object_id,
                       details=details or {}, occurred_at=utcnow(),
                       ip_address=(request.remote_addr or "") if has_request_context() else "")
    db.session.add(event)
    return event


REFUSAL_ACTIONS = (AuditAction.ACCESS_REFUSED, AuditAction.CSRF_REFUSED, AuditAction.API_CALL_REFUSED)
RECENT = timedelta(minutes=10)


def count_recent(actions: tuple[AuditAction, ...], *conditions) -> int:
    """Events of these kinds in the last ten minutes that meet `conditions`: the app's shared
    counter for limits that every worker must see alike."""
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.in_(actions), AuditEvent.occurred_at >= utcnow() - RECENT, *conditions))


def record_refusal(action: AuditAction, actor=None) -> None:
    """Log a refused page or form in its own transaction, after discarding the request's work.

    The path is redacted: a refused post to a reset or invitation link must not put the
    still-valid link in front of every administrator. Past AUDIT_REFUSALS_PER_ADDRESS
    refusals from one address in ten minutes, further ones go to the log only, so a flood
    of forged posts cannot fill the table or hold SQLite's write lock.
    An audit failure must not turn the refusal into a server error: it is logged and dropped.
    `actor`: who was refused when it is not the signed-in person (an API token's).
    """
    db.session.rollback()
    path = redactor.redact(request.path)[:300]
    try:
        recent = count_recent(REFUSAL_ACTIONS, AuditEvent.ip_address == (request.remote_addr or ""))
        if recent >= current_app.config["AUDIT_REFUSALS_PER_ADDRESS"]:
            logging.getLogger(__name__).warning("%s from %s not audited (too many): %s %s",
                                                action.value, request.remote_addr, request.method, path)
            return
        record(action, actor=actor or current_user, object_type="page", object_id=None,
               details={"method": request.method, "path": path})
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        logging.getLogger(__name__).warning("could not write the audit row for a refused request")


# Changes and refusals; reads of a political side or of a participant's passport details are routine for
# the staff who need them and would bury the rest (the audit log lists them).
NOTEWORTHY_ACTIONS = tuple(action for action in AuditAction
                           if action not in (AuditAction.POLITICAL_SIDE_READ, AuditAction.SENSITIVE_LOGISTICS_READ))


@dataclass(frozen=True)
class RecentEvent:
    occurred_at: datetime
    action: AuditAction
    actor_name: str | None
    object_type: str
    object_id: int | None
    # What the log's row says of it: the address tried, or the page refused (already redacted).
    detail: str = ""


def _detail(event: AuditEvent) -> str:
    if event.action == AuditAction.LOGIN_FAILED:
        return str(event.details.get("email", ""))
    if event.action in REFUSAL_ACTIONS:
        return f"{event.details.get('method', '')} {event.details.get('path', '')}".strip()
    return ""


def recent_noteworthy(limit: int) -> list[RecentEvent]:
    """The latest role changes, side changes, failed sign-ins and refusals, with who acted: one query."""
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(NOTEWORTHY_ACTIONS))
                                .options(joinedload(AuditEvent.actor))
                                .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(limit))
    return [RecentEvent(occurred_at=event.occurred_at, action=event.action,
                        actor_name=event.actor.full_name if event.actor else None,
                        object_type=event.object_type, object_id=event.object_id, detail=_detail(event))
            for event in events]
