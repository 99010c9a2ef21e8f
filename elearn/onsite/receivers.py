"""Keep tickets in step with registrations and their activity: a confirmed seat at an activity that is not
cancelled has a live ticket; any other state, or a cancellation, revokes it."""
from __future__ import annotations

from elearn.onsite import tickets
from elearn.scheduling import events as scheduling_events
from elearn.scheduling.models import ActivityStatus, RegistrationState


def on_registration_changed(registration, **_details) -> None:
    # Sent inside the change's transaction: the ticket is issued or revoked with it, never committed here.
    if registration.state == RegistrationState.CONFIRMED:
        tickets.issue(registration)
    else:
        tickets.revoke(registration)


def on_activity_status_changed(activity, *, old, new, **_details) -> None:
    # Inside the status change's transaction, as above.
    if new == ActivityStatus.CANCELLED:
        tickets.revoke_all(activity.id)
    elif old == ActivityStatus.CANCELLED:
        tickets.restore_confirmed(activity.id)


def connect() -> None:
    scheduling_events.registration_changed.connect(on_registration_changed)
    scheduling_events.activity_status_changed.connect(on_activity_status_changed)
