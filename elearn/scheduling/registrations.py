"""Registrations: who may register, seats or the waitlist, nominations, withdrawals, trainers' decisions and removals."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from elearn.access import Role, has_role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.models import Enrolment
from elearn.people.erasure import person_erasing
from elearn.people.models import Person, PersonKind
from elearn.scheduling import notices
from elearn.scheduling.clashes import clashing_activities
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.models import Activity, ActivityStatus, Audience, Registration, RegistrationState
from elearn.scheduling.seats import ACTIVE_STATES, confirmed_count, lock_seats, next_waitlist_position, quota_allows


def eligibility_problem(activity: Activity, person: Person, now: datetime | None = None) -> str | None:
    """Why `person` may not register for `activity` now, or None."""
    now = now or utcnow()
    if activity.status == ActivityStatus.CANCELLED:
        return _("This activity is cancelled.")
    if activity.status != ActivityStatus.PUBLISHED:
        return _("This activity is not open for registration.")
    if activity.registration_opens_at and now < activity.registration_opens_at:
        return _("Registration has not opened yet.")
    if activity.registration_closes_at and now >= activity.registration_closes_at:
        return _("Registration is closed.")
    if activity.ends_at and activity.ends_at <= now:
        return _("This activity is over.")
    if not fits_audience(activity, person):
        return (_("This activity is for members of parliament.") if activity.audience == Audience.MPS
                else _("This activity is for parliamentary staff."))
    invited = {p.id for p in activity.invited_parliaments}
    if invited and person.parliament_id not in invited:
        return _("Your parliament is not invited to this activity.")
    if activity.prerequisite_course_id and not has_completed(person, activity.prerequisite_course_id):
        return _("Complete the course “%(course)s” first: it prepares this activity.",
                 course=activity.prerequisite_course.title_in(str(get_locale())))
    return None


def fits_audience(activity: Activity, person: Person) -> bool:
    """Whether the activity is for people of this kind (members, staff or both)."""
    if activity.audience == Audience.MPS:
        return person.kind == PersonKind.MP
    if activity.audience == Audience.STAFF:
        return person.kind == PersonKind.STAFF
    return True


def has_completed(person: Person, course_id: int) -> bool:
    return db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.person_id == person.id, Enrolment.course_id == course_id,
        Enrolment.completed_at.is_not(None))) > 0


@dataclass
class RegistrationOutcome:
    registration: Registration
    created: bool
    clashes: list[Activity] = field(default_factory=list)


def _set_state(registration: Registration, state: RegistrationState, *, position: int | None = None) -> None:
    registration.state = state
    registration.waitlist_position = position if state == RegistrationState.WAITLISTED else None
    registration.updated_at = utcnow()


def _seat_or_queue(activity: Activity, registration: Registration) -> None:
    # Every seat change ends with promote_waitlist, so anyone still waiting is
    # blocked by their parliament's quota: a newcomer who fits takes a free
    # seat without passing anyone who could have had it.
    if confirmed_count(activity) < activity.capacity and quota_allows(activity, registration.person):
        _set_state(registration, RegistrationState.CONFIRMED)
    else:
        _set_state(registration, RegistrationState.WAITLISTED, position=next_waitlist_position(activity))


def register(activity_id: int, person: Person, *, nominated_by: Person | None = None,
             now: datetime | None = None) -> RegistrationOutcome:
    """Ask for a seat: confirmed, requested (approval needed) or waitlisted. Twice is harmless."""
    db.session.commit()  # start a fresh transaction whose first statement is the lock
    lock_seats(activity_id)
    activity = db.session.get(Activity, activity_id, populate_existing=True)
    if activity is None:
        db.session.rollback()
        raise SchedulingError(_("This activity does not exist."))
    problem = eligibility_problem(activity, person, now)
    if problem:
        db.session.rollback()
        raise SchedulingError(problem)
    registration = db.session.scalar(select(Registration).where(
        Registration.activity_id == activity.id, Registration.person_id == person.id))
    if registration is not None and registration.state in ACTIVE_STATES:
        db.session.rollback()
        return RegistrationOutcome(registration, created=False)
    if registration is None:
        registration = Registration(activity=activity, person=person, state=RegistrationState.REQUESTED)
        db.session.add(registration)
    registration.nominated_by = nominated_by
    registration.trainer_message = ""
    if activity.approval_required:
        _set_state(registration, RegistrationState.REQUESTED)
    else:
        _seat_or_queue(activity, registration)
    db.session.flush()
    notices.notify_registration(registration, nominated=nominated_by is not None)
    clashes = clashing_activities(person, activity)
    db.session.commit()
    return RegistrationOutcome(registration, created=True, clashes=clashes)


def nominate(activity_id: int, nominee: Person, focal_point: Person) -> RegistrationOutcome:
    """A focal point registers someone of their own parliament, within its quota."""
    if not has_role(focal_point, Role.FOCAL_POINT) or focal_point.parliament_id is None:
        raise SchedulingError(_("Only a focal point can nominate people."))
    if nominee.parliament_id != focal_point.parliament_id:
        raise SchedulingError(_("You can nominate only people of your own parliament."))
    activity = db.session.get(Activity, activity_id)
    if activity is not None and activity.quota_per_parliament is not None:
        held = db.session.scalar(select(func.count(Registration.id)).join(Person, Person.id == Registration.person_id)
                                 .where(Registration.activity_id == activity_id,
                                        Registration.state.in_((RegistrationState.CONFIRMED, RegistrationState.REQUESTED)),
                                        Person.parliament_id == focal_point.parliament_id))
        if held >= activity.quota_per_parliament:
            raise SchedulingError(ngettext("Your parliament's quota of %(num)d seat is used.",
                                           "Your parliament's quota of %(num)d seats is used.", activity.quota_per_parliament))
    return register(activity_id, nominee, nominated_by=focal_point)


def withdraw(registration: Registration) -> None:
    if registration.state not in ACTIVE_STATES:
        raise SchedulingError(_("This registration is no longer active."))
    registration_id, activity_id = registration.id, registration.activity_id
    db.session.commit()
    lock_seats(activity_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    if registration.state not in ACTIVE_STATES:  # withdrawn or declined while we waited for the lock
        db.session.rollback()
        raise SchedulingError(_("This registration is no longer active."))
    had_seat = registration.state == RegistrationState.CONFIRMED
    _set_state(registration, RegistrationState.WITHDRAWN)
    db.session.flush()
    notices.notify_registration(registration, had_seat=had_seat)
    promote_waitlist(registration.activity)
    db.session.commit()


def decide(registration: Registration, approve: bool, message: str = "") -> None:
    """A trainer approves (seat or waitlist) or declines a pending request.

    Declining someone who already holds a seat or a place in line removes them (see `remove`).
    """
    _trainer_change(registration, message, lambda current: _decision_problem(current, approve),
                    lambda current: None if approve else _ending_state(current))


def remove(registration: Registration, message: str = "") -> None:
    """A trainer takes a confirmed or waitlisted person off the activity; the next in line moves up."""
    _trainer_change(registration, message, _removal_problem, lambda current: RegistrationState.REMOVED)


def _ending_state(registration: Registration) -> RegistrationState:
    # A refused request and a lost seat must read differently in the roster, exports and mails.
    return RegistrationState.DECLINED if registration.state == RegistrationState.REQUESTED else RegistrationState.REMOVED


def _trainer_change(registration: Registration, message: str, problem_of, new_state_of) -> None:
    """Apply a trainer's decision under the seat lock; `new_state_of` gives None for "seat or queue"."""
    problem = problem_of(registration)
    if problem:
        raise SchedulingError(problem)
    registration_id, activity_id = registration.id, registration.activity_id
    db.session.commit()
    lock_seats(activity_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    problem = problem_of(registration)  # another trainer or the person may have acted meanwhile
    if problem:
        db.session.rollback()
        raise SchedulingError(problem)
    had_seat = registration.state == RegistrationState.CONFIRMED
    registration.trainer_message = message.strip()
    new_state = new_state_of(registration)
    if new_state is None:
        _seat_or_queue(registration.activity, registration)
    else:
        _set_state(registration, new_state)
    db.session.flush()
    notices.notify_registration(registration, had_seat=had_seat)
    if new_state is not None:
        promote_waitlist(registration.activity)
    db.session.commit()


def place_confirmed(activity: Activity, person: Person, *, placed_by: Person | None = None) -> tuple[Registration, bool]:
    """A manager puts someone on the activity directly (a mission's team): confirmed whatever the participants'
    eligibility, approval step or seat count, and mailed with the calendar invitation as any confirmation.

    Returns the registration and whether it changed; a seat already confirmed is left as it is (no second mail).
    The caller holds the seat lock and commits.
    """
    registration = db.session.scalar(select(Registration).where(
        Registration.activity_id == activity.id, Registration.person_id == person.id))
    if registration is not None and registration.state == RegistrationState.CONFIRMED:
        return registration, False
    if registration is None:
        registration = Registration(activity=activity, person=person, state=RegistrationState.CONFIRMED)
        db.session.add(registration)
    registration.nominated_by = placed_by
    registration.trainer_message = ""
    _set_state(registration, RegistrationState.CONFIRMED)
    db.session.flush()
    notices.notify_registration(registration)
    return registration, True


def take_off(registration: Registration, message: str = "") -> None:
    """Undo `place_confirmed`: the person is removed and mailed the calendar cancellation; the waitlist moves up.

    The caller holds the seat lock and commits.
    """
    if registration.state not in ACTIVE_STATES:
        return
    had_seat = registration.state == RegistrationState.CONFIRMED
    registration.trainer_message = message.strip()
    _set_state(registration, RegistrationState.REMOVED)
    db.session.flush()
    notices.notify_registration(registration, had_seat=had_seat)
    promote_waitlist(registration.activity)


def _decision_problem(registration: Registration, approve: bool) -> str | None:
    if approve and registration.state != RegistrationState.REQUESTED:
        return _("Only a pending request can be approved.")
    if not approve and registration.state not in ACTIVE_STATES:
        return _("This registration is no longer active.")
    return None


def _removal_problem(registration: Registration) -> str | None:
    if registration.state == RegistrationState.REQUESTED:
        return _("A pending request is declined, not removed.")
    if registration.state not in (RegistrationState.CONFIRMED, RegistrationState.WAITLISTED):
        return _("This registration is no longer active.")
    if registration.activity.is_over:
        # Removing would take a participant out of the figures and mail them about a past activity.
        return _("This activity is over: record an absence in the attendance instead of removing a participant.")
    return None


def promote_waitlist(activity: Activity) -> list[Registration]:
    """Fill free seats from the waitlist in order, skipping people whose parliament is at quota.

    The caller holds the seat lock and commits.
    """
    promoted = []
    if confirmed_count(activity) >= activity.capacity:
        return promoted  # full: no need to read the waitlist (an edit of a big activity lands here)
    waiting = db.session.scalars(select(Registration).where(
        Registration.activity_id == activity.id, Registration.state == RegistrationState.WAITLISTED)
        .order_by(Registration.waitlist_position)).all()
    for registration in waiting:
        if confirmed_count(activity) >= activity.capacity:
            break
        if not quota_allows(activity, registration.person):
            continue
        _set_state(registration, RegistrationState.CONFIRMED)
        db.session.flush()
        notices.notify_registration(registration, promoted=True)
        promoted.append(registration)
    return promoted


@person_erasing.connect
def _withdraw_before_erasure(person: Person, **_kwargs) -> None:
    """A person being erased gives up their places at activities not yet started: the next in line moves up."""
    upcoming = db.session.scalars(
        select(Registration).join(Activity, Activity.id == Registration.activity_id)
        .where(Registration.person_id == person.id, Registration.state.in_(ACTIVE_STATES),
               or_(Activity.starts_at.is_(None), Activity.starts_at > utcnow()))
        .order_by(Registration.id)).all()
    for registration in upcoming:
        withdraw(registration)
