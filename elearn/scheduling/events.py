"""What happened to registrations, activities and attendance, told to features above scheduling.

Each signal is sent inside the change's transaction, before it commits: a receiver adds its own rows
(the webhooks' deliveries) to the same transaction, so they exist if and only if the change does.
Receivers must not commit.
"""
from blinker import Namespace

_signals = Namespace()

# sender: the Registration, in its new state; promoted=True when it left the waitlist for a seat.
registration_changed = _signals.signal("registration-changed")
# sender: the Activity; old and new: ActivityStatus.
activity_status_changed = _signals.signal("activity-status-changed")
# sender: the Activity, whose details or sessions were edited (status unchanged).
activity_updated = _signals.signal("activity-updated")
# sender: the ActivitySession; registration_ids: the registrations whose marks were written.
attendance_recorded = _signals.signal("attendance-recorded")
