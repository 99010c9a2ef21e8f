"""When a ticket is shown, and to whom: one rule for the activity page, the printable ticket, the mails."""
from __future__ import annotations

from elearn.delegations.managers import may_manage
from elearn.scheduling.models import ActivityStatus, Registration, RegistrationState


def shows_ticket(registration: Registration) -> bool:
    """A confirmed seat at a published activity not yet over; any other state's code no longer checks in."""
    activity = registration.activity
    return (registration.state == RegistrationState.CONFIRMED and activity.status == ActivityStatus.PUBLISHED
            and not activity.is_over)


def may_see_ticket(person, registration: Registration) -> bool:
    """Its participant, and whoever manages the activity (to print it for someone without a phone).
    A check-in helper only checks codes in: they see no one's ticket."""
    if not getattr(person, "is_authenticated", False):
        return False
    return registration.person_id == person.id or may_manage(person, registration.activity)
