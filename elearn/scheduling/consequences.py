"""What a destructive action will do, in words: the sentences of its confirmation page."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.scheduling.models import Activity, Registration, RegistrationState
from elearn.scheduling.seats import ACTIVE_STATES


def of_withdrawal(registration: Registration) -> list[str]:
    if registration.state == RegistrationState.CONFIRMED:
        return [_("Your seat goes to the next person on the waiting list. If you change your mind, you will have "
                  "to register again, and the activity may be full by then.")]
    if registration.state == RegistrationState.WAITLISTED:
        return [_("You leave the waiting list and lose your place in line.")]
    return [_("Your request is withdrawn; the trainers will not review it.")]


def after_withdrawal(previous: RegistrationState) -> str:
    """What a person is told once withdrawn: only a confirmed seat frees a seat for someone else."""
    if previous == RegistrationState.CONFIRMED:
        return _("You have withdrawn; your seat is free for someone else.")
    if previous == RegistrationState.WAITLISTED:
        return _("You have left the waiting list.")
    return _("You have withdrawn your request.")


def of_removal(registration: Registration) -> list[str]:
    name = registration.person.full_name
    return [_("%(name)s loses their seat; the next person on the waiting list gets it.", name=name)
            if registration.state == RegistrationState.CONFIRMED
            else _("%(name)s leaves the waiting list.", name=name),
            _("They are told by email, with your message if you write one. The roster shows them as removed.")]


def of_cancellation(activity: Activity) -> list[str]:
    # Counted in SQL (one query): the biggest activity has thousands of registrations.
    counts = dict(db.session.execute(
        select(Registration.state, func.count()).where(Registration.activity_id == activity.id,
                                                       Registration.state.in_(ACTIVE_STATES))
        .group_by(Registration.state)).all())
    confirmed = counts.get(RegistrationState.CONFIRMED, 0)
    others = sum(counts.values()) - confirmed
    return [ngettext("%(num)d confirmed participant is told by email and the sessions leave their calendar.",
                     "%(num)d confirmed participants are told by email and the sessions leave their calendars.",
                     confirmed),
            ngettext("%(num)d person waiting or awaiting approval is told by email too.",
                     "%(num)d people waiting or awaiting approval are told by email too.", others),
            _("Registrations are kept: publishing the activity again reinstates it as planned.")]
