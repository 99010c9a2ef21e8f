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
from elearn.scheduling.attendance import attendance_problem, hours_attended, record_attendance
from elearn.scheduling.clashes import clashing_activities, overlapping_sessions, staff_clashes
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.notices import ActivityChanges, Span, describe_changes
from elearn.scheduling.programmes import create_programme
from elearn.scheduling.registrations import (
    RegistrationOutcome,
    decide,
    eligibility_problem,
    fits_audience,
    has_completed,
    nominate,
    place_confirmed,
    promote_waitlist,
    register,
    remove,
    take_off,
    withdraw,
)
from elearn.scheduling.seats import (
    ACTIVE_STATES,
    confirmed_count,
    lock_seats,
    quota_allows,
    seats_left,
    waitlist_rank,
    waitlist_ranks,
    waitlist_ranks_among,
    waits_for_quota,
)

__all__ = [
    "ACTIVE_STATES", "ActivityChanges", "ActivityInput", "RegistrationOutcome", "SchedulingError", "SessionInput",
    "Span", "activity_input", "attendance_problem", "check_activity_input", "clashing_activities", "clone_activity",
    "confirmed_count", "create_activity", "create_programme", "decide", "describe_changes", "eligibility_problem", "fits_audience",
    "has_completed", "hours_attended", "lock_seats", "nominate", "overlapping_sessions", "place_confirmed",
    "promote_waitlist",
    "quota_allows", "record_attendance", "register", "remove", "seats_left", "session_instants", "set_status",
    "staff_clashes", "state_label", "status_label", "take_off", "update_activity", "waitlist_rank", "waitlist_ranks",
    "waitlist_ranks_among", "waits_for_quota", "withdraw"
]
