"""Name badges of an activity's confirmed participants, as a PDF to print: its trainers and administrators only
(check-in helpers scan codes at the door; they print nothing)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from elearn.access import Role, roles_required
from elearn.delegations.managers import managed_activity_or_403
from elearn.extensions import db
from elearn.onsite import badges, ticketing
from elearn.scheduling.models import Activity, Registration

bp = Blueprint("badges", __name__)


def badge_parts(total: int) -> list[tuple[int, int]]:
    """The files the badges of `total` participants come in: (first, last) positions, from 1."""
    size = current_app.config["BADGES_PER_FILE"]
    return [(first + 1, min(first + size, total)) for first in range(0, total, size)]


def badge_list(activity: Activity, locale: str, first: int = 1, last: int | None = None) -> list[badges.Badge]:
    """One badge per confirmed participant, by name, from position `first` to `last`, each with their live
    ticket's code (issued now if missing); labels in `locale` (the current one)."""
    ticketing.issue_missing(activity)
    statement = ticketing.confirmed_statement(activity).offset(first - 1)
    if last is not None:
        statement = statement.limit(last - first + 1)
    registrations: list[Registration] = list(db.session.scalars(statement))
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
    parts = badge_parts(ticketing.confirmed_count(activity))
    if not parts:
        flash(_("No participant is confirmed yet: there is no badge to print."), "info")
        return redirect(url_for("tickets.activity_tickets", activity_id=activity.id))
    part = request.args.get("part", 1, type=int)
    if not 1 <= part <= len(parts):
        abort(404)
    locale = str(get_locale())
    people = badge_list(activity, locale, *parts[part - 1])
    body = badges.badges_pdf(activity.title, people, layout=layout, locale=locale,
                             document_title=_("Name badges: %(title)s", title=activity.title))
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    name = f"badges-{activity.id}-{layout}" + (f"-part{part}" if len(parts) > 1 else "")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
