"""Tickets: the printable ticket (its participant and the activity's managers), and the trainers' list of an
activity's tickets, where a lost one is reissued."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Role, login_required, roles_required
from elearn.delegations.managers import managed_activity_or_403
from elearn.extensions import db
from elearn.forms import SimpleActionForm
from elearn.onsite import ticketing, tickets
from elearn.onsite.badge_views import badge_parts
from elearn.onsite.ticket_rules import may_see_ticket, shows_ticket
from elearn.scheduling.models import Registration
from elearn.security import uncompressed

bp = Blueprint("tickets", __name__)
trainers_only = roles_required(Role.TRAINER)
PRINT_SCALE = 8  # 29 modules of 8 px: about 6 cm on paper


@bp.get("/registrations/<int:registration_id>/ticket")
@login_required
@uncompressed  # the ticket's code (docs/SECURITY.md: BREACH)
def ticket(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    if not (may_see_ticket(current_user, registration) and shows_ticket(registration)):
        abort(404)  # someone else's ticket, or a seat that has none, does not exist for this person
    live = tickets.live_ticket(registration)
    if live is None:
        abort(404)
    # Like every page seen signed in, it is sent `no-store` (elearn/security.py): no copy of the code is kept.
    return render_template(
        "onsite/ticket.html", registration=registration, activity=registration.activity,
        person=registration.person, qr=tickets.qr_svg(live.code, scale=PRINT_SCALE), code=tickets.grouped(live.code),
        own=registration.person_id == current_user.id)


@bp.get("/manage/activities/<int:activity_id>/tickets")
@trainers_only
@uncompressed  # the participants' ticket codes
def activity_tickets(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    ticketing.issue_missing(activity)  # seats confirmed before tickets existed
    roster = db.paginate(ticketing.confirmed_statement(activity), per_page=current_app.config["ROSTER_PAGE_SIZE"],
                         error_out=False)
    issued = ticketing.tickets_by_registration([registration.id for registration in roster.items])
    return render_template("onsite/activity_tickets.html", activity=activity, roster=roster, issued=issued,
                           action_form=SimpleActionForm(), badge_parts=badge_parts(roster.total))


@bp.post("/manage/registrations/<int:registration_id>/ticket/reissue")
@trainers_only
def reissue(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    managed_activity_or_403(registration.activity_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    activity_id = registration.activity_id
    try:
        outcome = ticketing.reissue(registration, current_user._get_current_object())
    except ticketing.TicketError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s has a new ticket (code ending %(end)s), sent to them by email; the old code no longer "
                "checks in.", name=registration.person.full_name, end=outcome.ticket.code[-4:]), "success")
    return redirect(url_for("tickets.activity_tickets", activity_id=activity_id,
                            page=request.args.get("page", type=int) or None))
