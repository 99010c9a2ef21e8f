"""AuditEvent: one sensitive read or change."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db

if TYPE_CHECKING:  # audit sits below people and imports nothing of it at run time
    from elearn.people.models import Person


class AuditAction(LabelledEnum):
    POLITICAL_SIDE_READ = "political_side_read", _l("Political side read")
    POLITICAL_SIDE_CHANGED = "political_side_changed", _l("Political side changed")
    ROLE_CHANGED = "role_changed", _l("Role changed")
    LOGIN_FAILED = "login_failed", _l("Failed sign-in")
    ACCESS_REFUSED = "access_refused", _l("Access refused")
    CSRF_REFUSED = "csrf_refused", _l("Form refused (missing or stale security token)")
    ACCOUNT_ACTIVATED = "account_activated", _l("Account reactivated")
    ACCOUNT_DEACTIVATED = "account_deactivated", _l("Account deactivated")
    PARLIAMENT_CHANGED = "parliament_changed", _l("Parliament changed")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _l("Two-step sign-in turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _l("Two-step sign-in turned off")
    TWO_FACTOR_RESET = "two_factor_reset", _l("Two-step sign-in reset by an administrator")
    RECOVERY_CODE_USED = "recovery_code_used", _l("Recovery code used to sign in")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _l("New recovery codes made")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _l("Personal data exported")
    PERSON_ERASED = "person_erased", _l("Person erased")
    INVITATION_LETTER_ISSUED = "invitation_letter_issued", _l("Invitation letter issued")
    INVITATION_LETTER_REISSUED = "invitation_letter_reissued", _l("Invitation letter reissued")
    INVITATION_LETTER_DOWNLOADED = "invitation_letter_downloaded", _l("Invitation letter downloaded")
    COST_LINE_ADDED = "cost_line_added", _l("Cost line added")
    COST_LINE_CHANGED = "cost_line_changed", _l("Cost line changed")
    COST_LINE_DELETED = "cost_line_deleted", _l("Cost line deleted")
    SENSITIVE_LOGISTICS_READ = "sensitive_logistics_read", _l("Passport details and needs read")
    LOGISTICS_CHANGED = "logistics_changed", _l("Travel and stay changed")
    SENSITIVE_LOGISTICS_PURGED = "sensitive_logistics_purged", _l("Passport details and needs purged")
    CALL_SAVED = "call_saved", _l("Call for applications saved")
    APPLICATION_SELECTED = "application_selected", _l("Application selected")
    APPLICATION_WAITLISTED = "application_waitlisted", _l("Application put on the waiting list")
    APPLICATION_DECLINED = "application_declined", _l("Application declined")
    LEARNING_TEST_SET = "learning_test_set", _l("Learning test of an activity set")
    INDICATOR_SAVED = "indicator_saved", _l("Indicator saved")
    INDICATOR_DELETED = "indicator_deleted", _l("Indicator deleted")
    INDICATOR_VALUE_RECORDED = "indicator_value_recorded", _l("Indicator value entered")
    TERMS_AGREED = "terms_agreed", _l("Terms of reference agreed")
    EXPERT_PROFILE_CHANGED = "expert_profile_changed", _l("Expert profile changed by someone else")
    DOCUMENT_ADDED = "document_added", _l("Document added")
    DOCUMENT_DELETED = "document_deleted", _l("Document deleted")
    MISSION_REPORT_SUBMITTED = "mission_report_submitted", _l("Mission report submitted")
    MISSION_REPORT_VALIDATED = "mission_report_validated", _l("Mission report validated")
    MISSION_REPORT_RETURNED = "mission_report_returned", _l("Mission report sent back to its author")
    RECOMMENDATION_CONVERTED = "recommendation_converted", _l("Mission recommendation acted upon")
    MISSION_MEMBER_ADDED = "mission_member_added", _l("Mission team member added")
    MISSION_MEMBER_REMOVED = "mission_member_removed", _l("Mission team member removed")
    API_TOKEN_CREATED = "api_token_created", _l("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _l("API token revoked")
    API_CALL_REFUSED = "api_call_refused", _l("API call refused")
    WEBHOOK_CREATED = "webhook_created", _l("Webhook subscription created")
    WEBHOOK_DELETED = "webhook_deleted", _l("Webhook subscription deleted")
    TICKET_REISSUED = "ticket_reissued", _l("Ticket reissued")
    CHECK_IN_HELPER_ADDED = "check_in_helper_added", _l("Check-in helper added")
    CHECK_IN_HELPER_REMOVED = "check_in_helper_removed", _l("Check-in helper removed")


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id", "occurred_at"),
        Index("ix_audit_event_action_time", "action", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # None when the system acted (a CLI command, the demo seed).
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"), index=True)
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    action: Mapped[AuditAction] = mapped_column(string_enum(AuditAction, "audit_action"))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[Optional[int]]
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[Optional["Person"]] = relationship("Person", foreign_keys=[actor_id])
