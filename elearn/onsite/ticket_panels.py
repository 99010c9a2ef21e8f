"""Where tickets and badges appear on scheduling's pages: the participant's ticket under their confirmed
registration (the public activity page), and the trainer's links on the activity's management page."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from elearn import panels
from elearn.delegations.managers import may_manage
from elearn.onsite import ticketing, tickets
from elearn.onsite.badge_views import badge_parts
from elearn.onsite.ticket_rules import shows_ticket
from elearn.security import shows_secret

QR_SCALE = 7  # 29 modules of 7 px: 203 px, readable by a phone held at arm's length, narrow enough for 320 px


def render_registration(registration):
    if not (current_user.is_authenticated and registration.person_id == current_user.id
            and shows_ticket(registration)):
        return None
    ticket = tickets.live_ticket(registration)  # issued now for a seat confirmed before tickets existed
    if ticket is None:
        return None
    # The code checks its holder in, and every page echoes its own address (the language form's return
    # path): not in a compressed body (BREACH).
    shows_secret()
    return render_template("onsite/_ticket_panel.html", registration=registration,
                           qr=tickets.qr_svg(ticket.code, scale=QR_SCALE), code=tickets.grouped(ticket.code))


def render_activity_manage(activity):
    if not may_manage(current_user, activity):
        return None
    return render_template("onsite/_manage_panel.html", activity=activity,
                           badge_parts=badge_parts(ticketing.confirmed_count(activity)))


def install(app) -> None:
    panels.register("registration", "ticket", render_registration)
    panels.register("activity_manage", "tickets-and-badges", render_activity_manage)
