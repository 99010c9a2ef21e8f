"""The ticket in mails: a PNG of its QR code and its code in words, added to the confirmation of a seat
(through scheduling's mail hook) and sent alone when a trainer reissues it."""
from __future__ import annotations

from base64 import b64encode

from flask_babel import lazy_gettext as _l

from elearn.mail.services import queue_mail
from elearn.onsite import tickets
from elearn.onsite.models import Ticket
from elearn.onsite.ticket_rules import shows_ticket
from elearn.scheduling.models import Registration
from elearn.scheduling.notices import MailExtra, activity_link, register_mail_extra
from elearn.urls import absolute_url

FILENAME = "ticket.png"


def ticket_attachment(ticket: Ticket) -> dict:
    """The outbox's attachment format: JSON, so the PNG travels base64 (as the calendar invitations do)."""
    return {"filename": FILENAME, "content_type": "image/png",
            "content": b64encode(tickets.qr_png(ticket.code)).decode("ascii"), "alternative": False}


def ticket_lines(ticket: Ticket) -> tuple:
    """Lazy: worded when the mail is rendered, in the language it is rendered in."""
    return (_l("Your ticket: show the attached QR code (%(file)s) at the entrance, or give its code: %(code)s.",
               file=FILENAME, code=tickets.grouped(ticket.code)),)


def ticket_link(registration: Registration) -> tuple:
    return (_l("To print your ticket or see it again:"), absolute_url("tickets.ticket", registration_id=registration.id))


def confirmation_extra(registration: Registration) -> MailExtra | None:
    """Scheduling's hook: a confirmed seat's mail carries its ticket (issued by the receiver just before)."""
    if not shows_ticket(registration):
        return None
    ticket = tickets.issue(registration)  # the live one; issued here only if the signal's receiver had not
    return MailExtra(attachments=(ticket_attachment(ticket),), lines=ticket_lines(ticket),
                     links=(ticket_link(registration),))


def mail_reissued(registration: Registration, ticket: Ticket) -> None:
    """Tell the participant their old code no longer works, with the new ticket. Does not commit."""
    person, activity = registration.person, registration.activity
    queue_mail(to=person.email, template="ticket_reissued", locale=person.preferred_language,
               attachments=[ticket_attachment(ticket)], person=person, activity=activity,
               lines=ticket_lines(ticket), ticket_link=ticket_link(registration), link=activity_link(activity))


def install(app) -> None:
    register_mail_extra(app, confirmation_extra)
