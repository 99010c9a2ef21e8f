"""Trainers' mission pages: the list of missions and each mission's hub (facts, team, the other parts' panels)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired

from elearn import panels
from elearn.access import Role, roles_required
from elearn.database import utcnow
from elearn.delegations.managers import managed_activity_or_403, may_manage
from elearn.extensions import db
from elearn.forms import SimpleActionForm, options
from elearn.missions import team
from elearn.missions.models import MissionTeamMember, TeamRole
from elearn.people.models import Person
from elearn.scheduling.models import MISSION_MODALITIES, Activity, Modality

bp = Blueprint("mission_team", __name__, url_prefix="/manage/missions")
trainers_only = roles_required(Role.TRAINER)
MISSION_KINDS = (*sorted(MISSION_MODALITIES, key=lambda m: m.value), Modality.CONFERENCE)


class AddMemberForm(FlaskForm):
    person_id = IntegerField(lazy_pgettext("mission team", "Person"), validators=[InputRequired()])
    role = SelectField(_l("Role"), choices=options(TeamRole.choices()), validators=[InputRequired()])


def _mission_or_404(activity_id: int) -> Activity:
    activity = managed_activity_or_403(activity_id)
    if not team.is_mission(activity):
        abort(404)
    return activity


@bp.get("")
@trainers_only
def missions():
    when = request.args.get("when", "upcoming")
    when = when if when in ("upcoming", "past") else "upcoming"
    now = utcnow()
    statement = select(Activity).where(Activity.modality.in_(MISSION_KINDS)).options(selectinload(Activity.host_parliament))
    if when == "upcoming":
        statement = statement.where(or_(Activity.ends_at.is_(None), Activity.ends_at > now)).order_by(
            Activity.starts_at, Activity.id)
    else:
        statement = statement.where(Activity.ends_at <= now).order_by(Activity.starts_at.desc(), Activity.id.desc())
    page = db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    ids = [activity.id for activity in page.items]
    sizes = dict(db.session.execute(select(MissionTeamMember.activity_id, func.count(MissionTeamMember.id))
                                    .where(MissionTeamMember.activity_id.in_(ids))
                                    .group_by(MissionTeamMember.activity_id)).all()) if ids else {}
    return render_template("missions/team_list.html", page=page, when=when, sizes=sizes)


@bp.get("/<int:activity_id>")
@trainers_only
def mission(activity_id: int):
    activity = _mission_or_404(activity_id)
    members = team.members(activity)
    # Once the mission is over, clashes and availability no longer call for a decision: the team is on record.
    warnings = {} if activity.is_over else {member.id: team.warnings_for(activity, member.person) for member in members}
    words = request.args.get("q", "").strip()[:100]
    found = team.candidates(activity, words) if words else []
    has_head = any(member.role == TeamRole.HEAD for member in members)
    return render_template("missions/team_hub.html", activity=activity, members=members, warnings=warnings,
                           words=words, found=found, has_head=has_head, add_form=AddMemberForm(),
                           action_form=SimpleActionForm(), roles=TeamRole.choices(),
                           change_problem=team.change_problem(activity))


@bp.post("/<int:activity_id>/members")
@trainers_only
def add_member(activity_id: int):
    activity = _mission_or_404(activity_id)
    form = AddMemberForm()
    back = url_for("mission_team.mission", activity_id=activity.id)
    if not form.validate_on_submit():
        flash(_("Choose a person and a role."), "error")
        return redirect(back)
    person = db.session.get(Person, form.person_id.data)
    if person is None:
        flash(_("This person does not exist."), "error")
        return redirect(back)
    try:
        added = team.add_member(activity, person, TeamRole(form.role.data), actor=current_user._get_current_object())
    except team.TeamError as error:
        flash(str(error), "error")
        return redirect(back)
    flash(_("%(name)s is on the team as %(role)s and has been sent the invitation.",
            name=added.member.person.full_name, role=added.member.role.label), "success")
    for warning in added.warnings:
        flash(warning, "warning")
    return redirect(back)


@bp.post("/<int:activity_id>/members/<int:member_id>/remove")
@trainers_only
def remove_member(activity_id: int, member_id: int):
    activity = _mission_or_404(activity_id)
    member = db.session.get(MissionTeamMember, member_id)
    if member is None or member.activity_id != activity.id:
        abort(404)
    form = SimpleActionForm()
    if not form.validate_on_submit():
        abort(400)
    name = member.person.full_name
    try:
        team.remove_member(member, actor=current_user._get_current_object())
    except team.TeamError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s is no longer on the team and has been told.", name=name), "success")
    return redirect(url_for("mission_team.mission", activity_id=activity.id))


def _activity_panel(activity: Activity):
    if not team.is_mission(activity) or not may_manage(current_user, activity):
        return None
    return render_template("missions/team_activity_panel.html", activity=activity)


def install(app) -> None:
    panels.register("activity_manage", "mission-team", _activity_panel)
