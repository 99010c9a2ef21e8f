"""Who may see a participant's logistics, and the audited read of its sensitive fields.

The activity's own trainers and the administrators, nobody else: not another trainer, not the
participant's focal point. Passport details and needs are read only through `read_sensitive`,
which writes an audit row for each read of a row that holds any.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.delegations.logistics_models import SENSITIVE_FIELDS, Logistics
from elearn.delegations.managers import may_manage
from elearn.scheduling.models import Activity


@dataclass(frozen=True)
class SensitiveDetails:
    dietary_needs: str = ""
    accessibility_needs: str = ""
    passport_number: str = ""
    passport_country: str = ""
    passport_expires_on: date | None = None
    birth_date: date | None = None
    # When the purge emptied them: the page says so instead of showing empty fields.
    purged_at: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in SENSITIVE_FIELDS)


class NotAllowed(Exception):
    """A reader who may not see these details (the view answers 403)."""


def holds_sensitive(logistics: Logistics | None) -> bool:
    return logistics is not None and any(getattr(logistics, name) for name in SENSITIVE_FIELDS)


def read_sensitive(logistics: Logistics | None, reader, activity: Activity) -> SensitiveDetails:
    """The sensitive fields for `reader`, with an audit row (in the caller's transaction: commit it) when there
    was anything to read. Refuses anyone `may_manage` does not allow."""
    if not may_manage(reader, activity):
        raise NotAllowed()
    if logistics is None:
        return SensitiveDetails()
    details = SensitiveDetails(**{name: getattr(logistics, name) for name in SENSITIVE_FIELDS},
                               purged_at=logistics.sensitive_purged_at)
    if not details.is_empty:
        record(AuditAction.SENSITIVE_LOGISTICS_READ, actor=reader, object_type="logistics", object_id=logistics.id,
               details={"registration_id": logistics.registration_id, "activity_id": activity.id,
                        "fields": [name for name in SENSITIVE_FIELDS if getattr(logistics, name)]})
    return details
