"""Trainers' side of calls for applications: open or edit a call, review the applications, decide.

Only the activity's own trainers and administrators reach these pages (another trainer gets
a 403, as on the delegation's other pages; another activity's application is a 404). Political sides appear only as counts of the
selected members: to administrators (each showing audited), and to the activity's trainers
under people.side_balance's rule; never anyone's own side.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from elearn.access import Role, has_role, roles_required
from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.delegations import balance as balances
from elearn.delegations import calls, selection
from elearn.delegations.calls_forms import CallForm, DecisionForm, TargetForm
from elearn.delegations.calls_models import Application, ApplicationStatus, Call
from elearn.delegations.managers import managed_activity_or_403
from elearn.extensions import db
from elearn.forms import show_error
from elearn.people.models import Gender, Person, PersonKind, PoliticalSide
from elearn.people.side_balance import sides_may_be_shown
from elearn.scheduling.models import Programme

bp = Blueprint("calls_admin", __name__, url_prefix="/manage")
trainers_only = roles_required(Role.TRAINER)



@bp.route("/activities/<int:activity_id>/call", methods=["GET", "POST"])
@trainers_only
def edit_call(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    call = calls.call_of(activity.id)
    form = CallForm()
    form.set_choices()
    if request.method == "GET":
        form.fill(call, calls.own_target(activity.id), activity.zone, activity.opposition_target_percent)
        if call is None:
            form.suggest_dates(activity)
    if form.validate_on_submit():
        try:
            calls.save_call(activity, *form.to_input(activity.zone), actor=current_user._get_current_object())
        except calls.CallError as error:
            show_error(form, error)
        else:
            flash(_("The call is saved."), "success")
            return redirect(url_for("calls_admin.applications", activity_id=activity.id))
    return render_template("delegations/calls/call_form.html", form=form, activity=activity, call=call)


def _sides_visible(balance: balances.Balance) -> bool:
    if not balance.members:
        return False
    if has_role(current_user, Role.ADMIN):
        return True
    return sides_may_be_shown(balance.side_counts(), current_app.config["REPORT_MIN_CELL"])


def _table(call: Call, status: str):
    statement = (select(Application).join(Person, Person.id == Application.person_id)
                 .where(Application.call_id == call.id)
                 .options(contains_eager(Application.person).selectinload(Person.parliament))
                 .order_by(Person.full_name, Application.id))
    if status in ApplicationStatus._value2member_map_:
        statement = statement.where(Application.status == ApplicationStatus(status))
    return db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=False)


@bp.get("/activities/<int:activity_id>/applications")
@trainers_only
def applications(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    call = calls.call_of(activity.id)
    if call is None:
        return redirect(url_for("calls_admin.edit_call", activity_id=activity.id))
    status = request.args.get("status", "")
    balance = balances.compute(call)
    sides_visible = _sides_visible(balance)
    if sides_visible:
        # Counts only, but of named candidates: who looked is kept, as for any read of sides.
        audit(AuditAction.POLITICAL_SIDE_READ, actor=current_user, object_type="call", object_id=call.id,
              details={"aggregate": True, "activity_id": activity.id})
        db.session.commit()
    warnings = balances.warnings(balance, balances.target_for(activity), sides_visible=sides_visible,
                                 quota=activity.quota_per_parliament)
    form = DecisionForm()
    form.set_choices()
    return render_template("delegations/calls/applications.html", activity=activity, call=call,
                           page=_table(call, status), status=status, balance=balance, warnings=warnings,
                           sides_visible=sides_visible, sides=list(PoliticalSide), form=form,
                           questions=dict(calls.questions(call)), statuses=list(ApplicationStatus),
                           genders=[(g.value, g.label) for g in Gender] + [(balances.NOT_STATED, _("Not stated"))],
                           kinds={k.value: k.label for k in PersonKind},
                           decisions=[(choice.value, choice.label) for choice in form.decision.choices])


@bp.post("/activities/<int:activity_id>/applications/<int:application_id>/decision")
@trainers_only
def decide(activity_id: int, application_id: int):
    activity = managed_activity_or_403(activity_id)
    application = db.session.scalar(select(Application).join(Call).where(
        Application.id == application_id, Call.activity_id == activity.id).options(selectinload(Application.person)))
    if application is None:  # another activity's application
        abort(404)
    form = DecisionForm()
    form.set_choices()
    back = redirect(url_for("calls_admin.applications", activity_id=activity.id,
                            **{k: v for k, v in request.args.items() if k in ("status", "page")}))
    if not form.validate_on_submit():
        for message in [m for errors in form.errors.values() for m in errors]:
            flash(str(message), "error")
        return back
    try:
        selection.decide(application, ApplicationStatus(form.decision.data), form.reason.data or "",
                         actor=current_user._get_current_object())
    except calls.CallError as error:
        flash(_("%(name)s: %(message)s", name=application.person.full_name, message=str(error)), "error")
    else:
        flash(_("Recorded for %(name)s; the candidate is told by mail.", name=application.person.full_name),
              "success")
    return back


@bp.route("/programmes/<int:programme_id>/selection-targets", methods=["GET", "POST"])
@trainers_only
def programme_targets(programme_id: int):
    """Programmes are every trainer's (as on scheduling_admin's programme pages), so are their targets."""
    programme = db.get_or_404(Programme, programme_id)
    form = TargetForm()
    if request.method == "GET":
        form.fill_target(calls.programme_target(programme.id), programme.opposition_target_percent)
    if form.validate_on_submit():
        try:
            calls.save_programme_target(programme, form.to_target())
        except calls.CallError as error:
            show_error(form, error)
        else:
            flash(_("The targets are saved."), "success")
            return redirect(url_for("scheduling_admin.edit_programme", programme_id=programme.id))
    return render_template("delegations/calls/programme_targets.html", form=form, programme=programme)
