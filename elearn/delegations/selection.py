"""A trainer's decisions on applications: select (a confirmed registration), waitlist or decline with a reason.

Every decision is taken under the activity's seat lock (scheduling.seats), so two trainers
selecting at once cannot fill more seats than the activity has; each is audited and mailed.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.database import utcnow
from elearn.delegations import calls_notices
from elearn.delegations.calls import CallError
from elearn.delegations.calls_models import DECISIONS, Application, ApplicationStatus
from elearn.extensions import db
from elearn.scheduling import services as scheduling
from elearn.scheduling.events import registration_changed
from elearn.scheduling.models import Registration, RegistrationState

ACTIONS = {ApplicationStatus.SELECTED: AuditAction.APPLICATION_SELECTED,
           ApplicationStatus.WAITLISTED: AuditAction.APPLICATION_WAITLISTED,
           ApplicationStatus.DECLINED: AuditAction.APPLICATION_DECLINED}


def _problem(application: Application, decision: ApplicationStatus) -> CallError | None:
    if decision not in DECISIONS:
        return CallError(_("Choose a decision."), "decision")
    if application.call.activity.is_over:
        return CallError(_("This activity is over."), "decision")
    if application.status == ApplicationStatus.WITHDRAWN:
        return CallError(_("The candidate has withdrawn this application."), "decision")
    if application.status == decision:
        return CallError(_("This application is already %(status)s.", status=decision.label), "decision")
    return None


def _registration(application: Application) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.activity_id == application.call.activity_id, Registration.person_id == application.person_id))


def _take_seat(application: Application) -> None:
    """Create or confirm the person's registration; refused when every seat is taken. The caller holds the lock."""
    activity = application.call.activity
    registration = _registration(application)
    if registration is not None and registration.state == RegistrationState.CONFIRMED:
        application.registration = registration
        return
    if scheduling.confirmed_count(activity) >= activity.capacity:
        raise CallError(_("All %(n)d seats are taken: waitlist this candidate or free a seat first.",
                          n=activity.capacity), "decision")
    if registration is None:
        registration = Registration(activity=activity, person=application.person, state=RegistrationState.CONFIRMED)
        db.session.add(registration)
    registration.state, registration.waitlist_position = RegistrationState.CONFIRMED, None
    registration.nominated_by = application.proposed_by
    registration.updated_at = utcnow()
    application.registration = registration
    db.session.flush()  # its id, for those who hear of it
    # Inside the transaction, as scheduling's notices do: webhook subscribers hear registration.confirmed.
    registration_changed.send(registration, promoted=False)


def _give_up_seat(application: Application) -> None:
    """A selected candidate now waitlisted or declined leaves the activity; the registrations' waitlist moves up."""
    registration = application.registration
    if registration is None or registration.state != RegistrationState.CONFIRMED:
        return
    registration.state, registration.waitlist_position = RegistrationState.REMOVED, None
    registration.updated_at = utcnow()
    db.session.flush()
    registration_changed.send(registration, promoted=False)  # subscribers hear registration.withdrawn
    scheduling.promote_waitlist(application.call.activity)


def decide(application: Application, decision: ApplicationStatus, reason: str = "", *, actor) -> Application:
    """Apply a trainer's decision and tell the candidate; committed, or nothing saved."""
    reason = reason.strip()
    if decision == ApplicationStatus.DECLINED and not reason:
        raise CallError(_("Give the reason for declining: the candidate reads it."), "reason")
    problem = _problem(application, decision)
    if problem:
        raise problem
    application_id, activity_id = application.id, application.call.activity_id
    db.session.commit()  # a fresh transaction whose first statement is the lock
    scheduling.lock_seats(activity_id)
    application = db.session.get(Application, application_id, populate_existing=True)
    try:
        problem = _problem(application, decision)  # another trainer or the candidate may have acted meanwhile
        if problem:
            raise problem
        previous = application.status
        if decision == ApplicationStatus.SELECTED:
            _take_seat(application)
        elif previous == ApplicationStatus.SELECTED:
            _give_up_seat(application)
    except CallError:
        db.session.rollback()
        raise
    application.status, application.decision_reason = decision, reason
    application.decided_by_id, application.decided_at = getattr(actor, "id", None), utcnow()
    application.updated_at = utcnow()
    db.session.flush()
    audit(ACTIONS[decision], actor=actor, object_type="application", object_id=application.id,
          details={"activity_id": activity_id, "person_id": application.person_id, "from": previous.value,
                   "reason": reason})
    calls_notices.notify_decision(application)
    db.session.commit()
    return application
