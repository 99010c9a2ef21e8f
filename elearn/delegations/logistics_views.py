"""The trainer's logistics pages: an activity's confirmed participants, and each one's travel and stay.

Open to the activity's own trainers and to administrators (managers.may_manage); another trainer gets a 403,
a registration of another activity a 404. Showing passport details or needs writes an audit row, and so
does every save.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Role, roles_required
from elearn.delegations import logistics as services
from elearn.delegations import logistics_models  # noqa: F401  (its tables join the metadata)
from elearn.delegations.logistics_forms import LogisticsForm, fill, to_input
from elearn.delegations.managers import managed_activity_or_403
from elearn.delegations.sensitive import read_sensitive
from elearn.extensions import db
from elearn.forms import show_error
from elearn.scheduling.models import Activity, Registration, RegistrationState

bp = Blueprint("logistics", __name__, url_prefix="/manage")
trainers_only = roles_required(Role.TRAINER)


def _me():
    return current_user._get_current_object()



def _registration_or_404(activity: Activity, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.activity_id != activity.id:
        abort(404)
    return registration


def local_moment(value: datetime | None, zone: ZoneInfo) -> str:
    """An instant as the activity's local clock reads it (arrivals are planned in the host's time)."""
    return format_datetime(value, "short", tzinfo=zone, locale=get_locale()) if value else ""


@bp.get("/activities/<int:activity_id>/logistics")
@trainers_only
def participants(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    page = db.paginate(services.participants_statement(activity), per_page=current_app.config["ROSTER_PAGE_SIZE"],
                       error_out=False)
    rows = services.logistics_by_registration([registration.id for registration in page.items])
    return render_template("delegations/logistics/participants.html", activity=activity, page=page, rows=rows,
                           travel_filled=services.travel_filled, stay_filled=services.stay_filled,
                           local_moment=local_moment)


@bp.route("/activities/<int:activity_id>/logistics/<int:registration_id>", methods=["GET", "POST"])
@trainers_only
def edit(activity_id: int, registration_id: int):
    activity = managed_activity_or_403(activity_id)
    registration = _registration_or_404(activity, registration_id)
    logistics = services.logistics_of(registration)
    form = LogisticsForm()
    if form.validate_on_submit():
        try:
            services.save(registration, to_input(form), _me())
        except services.LogisticsError as error:
            show_error(form, error)
        else:
            flash(_("Travel and stay of %(name)s are saved.", name=registration.person.full_name), "success")
            return redirect(url_for("logistics.participants", activity_id=activity.id))
    purged_at = logistics.sensitive_purged_at if logistics else None
    if request.method == "GET":
        sensitive = read_sensitive(logistics, _me(), activity)  # audited: commit the row with the page
        db.session.commit()
        fill(form, logistics, sensitive, activity.zone)
    return render_template("delegations/logistics/edit.html", activity=activity, registration=registration,
                           form=form, purged_at=purged_at,
                           confirmed=registration.state == RegistrationState.CONFIRMED)
