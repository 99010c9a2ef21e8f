"""Name badges of an activity's confirmed participants, as a PDF to print: its trainers and administrators only
(check-in helpers scan codes at the door; they print nothing)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from elearn.access import Role, roles_required
from elearn.delegations.managers import managed_activity_or_403
from elearn.extensions import db
from elearn.onsite import badges, ticketing
from elearn.scheduling.models import Activity, Registration

bp = Blueprint("badges", __name__)


def badge_list(activity: Activity, locale: str) -> list[badges.Badge]:
    """One badge per confirmed participant, by name, each with their live ticket's code (issued now if missing);
    labels in `locale` (the current one)."""
    ticketing.issue_missing(activity)
    registrations: list[Registration] = list(db.session.scalars(ticketing.confirmed_statement(activity)))
    codes = ticketing.tickets_by_registration([registration.id for registration in registrations])
    made = []
    for registration in registrations:
        person = registration.person
        made.append(badges.Badge(name=person.full_name,
                                 parliament=person.parliament.name(locale) if person.parliament else "",
                                 kind=str(person.kind.label), position=person.position or "",
                                 code=codes[registration.id].code))
    return made


@bp.get("/check-in/<int:activity_id>/badges.pdf")
@roles_required(Role.TRAINER)
def badges_pdf(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    layout = request.args.get("layout") or badges.DEFAULT_LAYOUT
    if layout not in badges.LAYOUTS:
        abort(404)
    locale = str(get_locale())
    people = badge_list(activity, locale)
    if not people:
        flash(_("No participant is confirmed yet: there is no badge to print."), "info")
        return redirect(url_for("tickets.activity_tickets", activity_id=activity.id))
    body = badges.badges_pdf(activity.title, people, layout=layout, locale=locale,
                             document_title=_("Name badges: %(title)s", title=activity.title))
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="badges-{activity.id}-{layout}.pdf"'
    return response
