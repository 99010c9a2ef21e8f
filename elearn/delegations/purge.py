"""Emptying passport details and needs a set number of days after the activity ends (`LOGISTICS_PURGE_DAYS`).

Run daily (`flask delegations purge-sensitive`). Each batch is its own transaction, so a large backlog
never holds one long transaction nor its locks; a run stopped halfway leaves whole batches done, and the
next run goes on from there. A purged row keeps `sensitive_purged_at`, so a second run finds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.database import utcnow
from elearn.delegations.logistics_models import Logistics
from elearn.extensions import db
from elearn.scheduling.models import Activity, Registration

PURGE_BATCH = 500
# What each sensitive column becomes: text columns are NOT NULL (empty), dates are nullable.
EMPTIED = {"dietary_needs": "", "accessibility_needs": "", "passport_number": "", "passport_country": "",
           "passport_expires_on": None, "birth_date": None}


@dataclass(frozen=True)
class PurgeReport:
    purged: int
    ended_before: datetime


def _due(ended_before: datetime, limit: int) -> list[int]:
    return list(db.session.scalars(
        select(Logistics.id).join(Registration, Registration.id == Logistics.registration_id)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(Logistics.sensitive_purged_at.is_(None), Activity.ends_at.is_not(None),
               Activity.ends_at < ended_before)
        .order_by(Logistics.id).limit(limit)))


def purge_sensitive(days: int | None = None, batch: int = PURGE_BATCH, now: datetime | None = None) -> PurgeReport:
    """Empty the sensitive fields of every logistics row whose activity ended more than `days` ago (default
    `LOGISTICS_PURGE_DAYS`), `batch` rows per transaction, then write one audit row with the count (none when
    nothing was due: a daily run that finds nothing leaves no trace but its output)."""
    days = current_app.config["LOGISTICS_PURGE_DAYS"] if days is None else days
    now = now or utcnow()
    ended_before = now - timedelta(days=days)
    purged = 0
    while ids := _due(ended_before, batch):
        result = db.session.execute(update(Logistics).where(Logistics.id.in_(ids), Logistics.sensitive_purged_at.is_(None))
                           .values(sensitive_purged_at=now, **EMPTIED).execution_options(synchronize_session=False))
        db.session.commit()
        purged += result.rowcount  # another host's run may have purged some of them meanwhile
    if purged:
        record(AuditAction.SENSITIVE_LOGISTICS_PURGED, actor=None, object_type="logistics", object_id=None,
               details={"purged": purged, "days": days, "ended_before": ended_before.isoformat()})
        db.session.commit()
    db.session.expire_all()  # rows already loaded in this session must not show what was emptied
    return PurgeReport(purged=purged, ended_before=ended_before)
