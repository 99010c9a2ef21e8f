"""Scheduling's public operations, gathered from the modules that implement them. No HTTP here.

Views, other features and tests call `services.<name>`; each rule lives in one
module: activities (sessions, editing, status), registrations (eligibility,
seats and the waitlist, decisions), seats (counts and the lock), clashes,
attendance, programmes and notices (the mails and calendar invitations).
"""
from elearn.scheduling.activities import (
    ActivityInput,
    SessionInput,
    activity_input,
    check_activity_input,
    clone_activity,
    create_activity,
    session_instants,
    set_status,
    state_label,
    status_label,
    update_activity,
)
from elearn.scheduling.attendance import hours_attended, record_attendance
from elearn.scheduling.clashes import clashing_activities, overlapping_sessions, staff_clashes
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.notices import ActivityChanges, Span, describe_changes
from elearn.scheduling.programmes import create_programme
from elearn.scheduling.registrations import (
    RegistrationOutcome,
    decide,
    eligibility_problem,
    has_completed,
    nominate,
    promote_waitlist,
    register,
    withdraw,
)
from elearn.scheduling.seats import ACTIVE_STATES, confirmed_count, lock_seats, seats_left, waitlist_rank

__all__ = [
    "ACTIVE_STATES", "ActivityChanges", "ActivityInput", "RegistrationOutcome", "SchedulingError", "SessionInput",
    "Span", "activity_input", "check_activity_input", "clashing_activities", "clone_activity", "confirmed_count",
    "create_activity", "create_programme", "decide", "describe_changes", "eligibility_problem", "has_completed",
    "hours_attended", "lock_seats", "nominate", "overlapping_sessions", "promote_waitlist", "record_attendance",
    "register", "seats_left", "session_instants", "set_status", "staff_clashes", "state_label", "status_label",
    "update_activity", "waitlist_rank", "withdraw",
]
