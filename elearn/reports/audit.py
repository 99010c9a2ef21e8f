"""An audit row for every report read that shows political-side figures (page, CSV, spreadsheet)."""
from __future__ import annotations

from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.extensions import db
from elearn.reports.facts import ReportFilters


def audit_side_read(filters: ReportFilters, output: str, *, actor) -> None:
    """Record who read sides in aggregate, how and with which filters; committed at once."""
    record(AuditAction.POLITICAL_SIDE_READ, actor=actor, object_type="page", object_id=None,
           details={"report": "participation", "output": output, "filters": filters.as_args()})
    db.session.commit()
