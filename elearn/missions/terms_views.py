"""Terms of reference pages: read (managers, team, the partner's focal point), edit (managers), history, agree."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Role, login_required, roles_required
from elearn.delegations.managers import managed_activity_or_403, may_manage
from elearn.extensions import db
from elearn.forms import show_error
from elearn.missions import terms as service
from elearn.missions.terms_diff import changes
from elearn.missions.terms_forms import AgreeForm, TermsForm
from elearn.missions.terms_models import TermsVersion
from elearn.scheduling.models import Activity

bp = Blueprint("mission_terms", __name__)


def _mission(activity_id: int) -> Activity:
    activity = db.get_or_404(Activity, activity_id)
    if not service.is_mission(activity):
        abort(404)  # only missions have terms
    return activity


def _readable_mission(activity_id: int) -> Activity:
    activity = _mission(activity_id)
    if not service.may_read(current_user._get_current_object(), activity):
        abort(403)
    return activity


@bp.get("/missions/<int:activity_id>/terms")
@login_required
def terms(activity_id: int):
    activity = _readable_mission(activity_id)
    me = current_user._get_current_object()
    current = service.terms_for(activity)
    form = AgreeForm()
    if current is not None:
        form.version.data = current.version
    return render_template("missions/terms/terms.html", activity=activity, terms=current, form=form,
                           labels=service.FIELD_LABELS, may_edit=may_manage(me, activity),
                           may_agree=service.is_partner_focal_point(me, activity),
                           focal_points=service.partner_focal_points(activity),
                           mission_dates=service.mission_dates(activity))


@bp.route("/manage/missions/<int:activity_id>/terms/edit", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def edit(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    if not service.is_mission(activity):
        abort(404)
    current = service.terms_for(activity)
    form = TermsForm()
    if request.method == "GET":
        if current is not None:
            form.fill(current)
        else:
            form.base_version.data = "0"
            form.starts_on.data, form.ends_on.data = service.mission_dates(activity)
    if form.validate_on_submit():
        try:
            result = service.save_terms(activity, form.to_input(), current_user._get_current_object(),
                                        base_version=form.based_on())
        except service.TermsError as error:
            show_error(form, error)
        else:
            if result.changed:
                flash(_("Version %(version)d of the terms is saved.", version=result.terms.version), "success")
                if not service.partner_focal_points(activity):
                    flash(_("No focal point of the host parliament can agree to these terms yet: set the host "
                            "parliament, or ask for its focal point to have an account."), "warning")
            else:
                flash(_("Nothing changed: no new version was saved."), "info")
            for warning in result.warnings:
                flash(warning, "warning")
            return redirect(url_for("mission_terms.terms", activity_id=activity.id))
    return render_template("missions/terms/edit.html", activity=activity, form=form, terms=current)


@bp.get("/missions/<int:activity_id>/terms/versions")
@login_required
def versions(activity_id: int):
    activity = _readable_mission(activity_id)
    current = service.terms_for(activity)
    if current is None:
        return render_template("missions/terms/versions.html", activity=activity, terms=None, page=None, history=[])
    page = db.paginate(select(TermsVersion).where(TermsVersion.terms_id == current.id)
                       .order_by(TermsVersion.version.desc()), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    shown = list(page.items)
    # Each version is compared with the one before it: one more row than the page holds.
    earlier = {v.version: v.snapshot for v in db.session.scalars(select(TermsVersion).where(
        TermsVersion.terms_id == current.id, TermsVersion.version.in_([v.version - 1 for v in shown])))}
    history = [(version, changes(earlier.get(version.version - 1), version.snapshot, version.changed_fields))
               for version in shown]
    return render_template("missions/terms/versions.html", activity=activity, terms=current, page=page,
                           history=history)


@bp.post("/missions/<int:activity_id>/terms/agree")
@roles_required(Role.FOCAL_POINT)
def agree(activity_id: int):
    activity = _mission(activity_id)
    me = current_user._get_current_object()
    if not service.is_partner_focal_point(me, activity):
        abort(403)
    form = AgreeForm()
    target = url_for("mission_terms.terms", activity_id=activity.id)
    if not form.validate_on_submit():
        flash(_("The agreement was not recorded: open the terms again and use the button under them."), "error")
        return redirect(target)
    try:
        agreed = service.agree(activity, me, form.version.data)
    except service.TermsError as error:
        flash(str(error), "error")
    else:
        flash(_("You agreed to version %(version)d of the terms. The mission's organisers are told.",
                version=agreed.version), "success")
    return redirect(target)
