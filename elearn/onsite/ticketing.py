"""Tickets as trainers meet them: issuing the missing ones, reissuing a lost one, and an activity's confirmed
participants with their tickets (the tickets page and the badges)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.errors import UserError
from elearn.extensions import db
from elearn.onsite import tickets
from elearn.onsite.models import Ticket
from elearn.onsite.ticket_mail import mail_reissued
from elearn.onsite.ticket_rules import shows_ticket
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Registration, RegistrationState


class TicketError(UserError):
    pass


def confirmed_statement(activity: Activity):
    """The activity's confirmed participants, by name (case aside), with their person and parliament loaded.
    Erased people keep no name to print."""
    return (select(Registration).join(Person, Registration.person_id == Person.id)
            .where(Registration.activity_id == activity.id, Registration.state == RegistrationState.CONFIRMED,
                   Person.erased_at.is_(None))
            .options(selectinload(Registration.person).selectinload(Person.parliament))
            .order_by(func.lower(Person.full_name), Person.full_name, Registration.id))


def confirmed_count(activity: Activity) -> int:
    return db.session.scalar(select(func.count()).select_from(
        confirmed_statement(activity).order_by(None).subquery()))


def issue_missing(activity: Activity | None = None, *, attempts: int = 2) -> int:
    """Give a live ticket to each confirmed registration without one (those confirmed before tickets existed,
    or written straight into the table, as some demo data is); commits. How many were issued."""
    live = select(Ticket.registration_id).where(Ticket.revoked_at.is_(None))
    statement = select(Registration).where(Registration.state == RegistrationState.CONFIRMED,
                                           Registration.id.not_in(live))
    if activity is not None:
        statement = statement.where(Registration.activity_id == activity.id)
    missing = db.session.scalars(statement).all()
    for registration in missing:
        tickets.issue(registration)
    if missing:
        try:
            db.session.commit()
        except IntegrityError:  # a participant's page issued one at the same moment: theirs stands
            db.session.rollback()
            if attempts <= 1:
                raise
            return issue_missing(activity, attempts=attempts - 1)
    return len(missing)


def tickets_by_registration(registration_ids: list[int]) -> dict[int, Ticket]:
    if not registration_ids:
        return {}
    return {ticket.registration_id: ticket for ticket in db.session.scalars(
        select(Ticket).where(Ticket.registration_id.in_(registration_ids)))}


@dataclass(frozen=True)
class Reissued:
    ticket: Ticket
    old_code: str


def reissue(registration: Registration, actor) -> Reissued:
    """A new code for a confirmed participant's ticket (a lost phone, a shared screenshot): the old code stops
    checking in at once, the participant is mailed the new ticket, the change is audited; committed."""
    if not shows_ticket(registration):
        raise TicketError(_("Only a confirmed participant of an activity still to come has a ticket."))
    ticket = tickets.ticket_of(registration)
    old_code = ticket.code if ticket is not None else ""
    ticket = tickets.reissue(ticket) if ticket is not None else tickets.issue(registration)
    db.session.flush()
    audit(AuditAction.TICKET_REISSUED, actor=actor, object_type="registration", object_id=registration.id,
          details={"activity_id": registration.activity_id, "person_id": registration.person_id,
                   "old_code_end": old_code[-4:]})
    mail_reissued(registration, ticket)
    db.session.commit()
    return Reissued(ticket, old_code)
