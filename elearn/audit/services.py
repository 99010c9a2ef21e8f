"""Write audit events in the caller's transaction."""
from __future__ import annotations

import logging

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db


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


def record_refusal(action: AuditAction) -> None:
    """Log a refused page or form in its own transaction, after discarding the request's work.

    An audit failure must not turn the refusal into a server error: it is logged and dropped.
    """
    db.session.rollback()
    try:
        record(action, actor=current_user, object_type="page", object_id=None,
               details={"method": request.method, "path": request.path[:300]})
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        logging.getLogger(__name__).warning("could not write the audit row for a refused request")
