"""Keep tickets in step with registrations: a confirmed seat has a live ticket, any other state none."""
from __future__ import annotations

from elearn.onsite import tickets
from elearn.scheduling import events as scheduling_events
from elearn.scheduling.models import RegistrationState


def on_registration_changed(registration, **_details) -> None:
    # Sent inside the change's transaction: the ticket is issued or revoked with it, never committed here.
    if registration.state == RegistrationState.CONFIRMED:
        tickets.issue(registration)
    else:
        tickets.revoke(registration)


def connect() -> None:
    scheduling_events.registration_changed.connect(on_registration_changed)
