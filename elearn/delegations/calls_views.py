"""Candidates' and focal points' side of calls for applications: the open calls, applying, proposing, withdrawing.

A focal point proposes people of their own parliament only: anyone else's is a 404.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import selectinload

from elearn.access import Role, has_role, login_required, roles_required
from elearn.database import escape_like, utcnow
from elearn.delegations import calls
from elearn.delegations.calls_forms import SearchForm, answers_of, application_form
from elearn.delegations.calls_models import Application, Call
from elearn.extensions import db
from elearn.forms import SimpleActionForm, show_error
from elearn.people.models import Person
from elearn.scheduling.models import Activity, ActivityStatus
from elearn.scheduling.nominations import AUDIENCE_KIND

bp = Blueprint("calls", __name__, url_prefix="/calls")
focal_points_only = roles_required(Role.FOCAL_POINT)


def open_calls() -> list[Call]:
    """Calls taking applications now, soonest deadline first (a few dozen at most: a page needs no paging)."""
    now = utcnow()
    return list(db.session.scalars(
        select(Call).join(Activity, Activity.id == Call.activity_id)
        .where(Call.opens_at <= now, Call.deadline > now, Activity.status == ActivityStatus.PUBLISHED)
        .options(selectinload(Call.activity).selectinload(Activity.invited_parliaments))
        .order_by(Call.deadline, Call.id)))


def _published_call(call_id: int) -> Call:
    call = db.get_or_404(Call, call_id)
    if call.activity.status != ActivityStatus.PUBLISHED:
        abort(404)
    return call


@bp.get("/")
@login_required
def listing():
    person = current_user._get_current_object()
    applied = set(db.session.scalars(select(Application.call_id).where(Application.person_id == person.id)))
    is_focal = has_role(person, Role.FOCAL_POINT) and person.parliament_id is not None
    # The calls one may apply to (or has applied to); a focal point sees every open call, to propose colleagues.
    calls_now = [(call, problem) for call in open_calls()
                 for problem in [calls.application_problem(call, person)]
                 if not problem or call.id in applied or is_focal]
    mine = db.paginate(select(Application).where(Application.person_id == person.id)
                       .options(selectinload(Application.call).selectinload(Call.activity))
                       .order_by(Application.created_at.desc(), Application.id.desc()),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("delegations/calls/listing.html", calls_now=calls_now, applied=applied, mine=mine,
                           is_focal=is_focal,
                           action_form=SimpleActionForm())


def _application_page(call: Call, person: Person, proposer: Person | None):
    asked = calls.questions(call)
    form = application_form(asked)
    if form.validate_on_submit():
        try:
            calls.apply(call, person, answers_of(form, asked), proposed_by=proposer)
        except calls.CallError as error:
            show_error(form, error)
        else:
            flash(_("The application of %(name)s is sent.", name=person.full_name) if proposer
                  else _("Your application is sent. You will hear from us by mail."), "success")
            return redirect(url_for("calls.propose", call_id=call.id) if proposer else url_for("calls.listing"))
    problem = calls.application_problem(call, person) or (
        _("%(name)s has already applied to this call.", name=person.full_name)
        if calls.existing(call, person) else None)
    return render_template("delegations/calls/apply.html", call=call, form=form, person=person,
                           proposer=proposer, problem=problem)


@bp.route("/<int:call_id>/apply", methods=["GET", "POST"])
@login_required
def apply(call_id: int):
    return _application_page(_published_call(call_id), current_user._get_current_object(), None)


def colleagues(call: Call, focal_point: Person, search: str = ""):
    """Active people of the focal point's parliament whom the activity is for and who have not applied."""
    applied = exists().where(and_(Application.call_id == call.id, Application.person_id == Person.id))
    own = Person.parliament_id == focal_point.parliament_id if focal_point.parliament_id is not None else false()
    statement = select(Person).where(own, Person.is_active.is_(True), ~applied)
    if call.activity.audience in AUDIENCE_KIND:
        statement = statement.where(Person.kind == AUDIENCE_KIND[call.activity.audience])
    if search.strip():
        like = f"%{escape_like(search.strip())}%"
        statement = statement.where(or_(Person.full_name.ilike(like, escape="\\"),
                                        Person.email.like(like.lower(), escape="\\")))
    return statement.order_by(Person.full_name, Person.id)


@bp.get("/<int:call_id>/propose")
@focal_points_only
def propose(call_id: int):
    call = _published_call(call_id)
    search = SearchForm(request.args)
    query = (search.q.data or "") if search.validate() else ""
    page = db.paginate(colleagues(call, current_user, query), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    proposed = db.session.scalars(
        select(Application).join(Person, Person.id == Application.person_id)
        .where(Application.call_id == call.id, Person.parliament_id == current_user.parliament_id)
        .options(selectinload(Application.person)).order_by(Person.full_name)).all()
    return render_template("delegations/calls/propose.html", call=call, page=page, search=search, query=query,
                           proposed=proposed, is_open=call.is_open(utcnow()))


@bp.route("/<int:call_id>/propose/<int:person_id>", methods=["GET", "POST"])
@focal_points_only
def propose_person(call_id: int, person_id: int):
    call = _published_call(call_id)
    person = db.session.get(Person, person_id)
    if person is None or current_user.parliament_id is None or person.parliament_id != current_user.parliament_id:
        abort(404)  # another parliament's person
    return _application_page(call, person, current_user._get_current_object())


@bp.post("/applications/<int:application_id>/withdraw")
@login_required
def withdraw(application_id: int):
    application = db.get_or_404(Application, application_id)
    if application.person_id != current_user.id:
        abort(404)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    try:
        calls.withdraw(application)
    except calls.CallError as error:
        flash(str(error), "error")
    else:
        flash(_("Your application is withdrawn."), "success")
    return redirect(url_for("calls.listing"))
