"""Pages of the visit agenda: the institutions directory, each activity's agenda items, and the printable agenda."""
from __future__ import annotations

from babel.dates import format_date, format_time
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.access import Role, login_required, roles_required
from elearn.delegations import agenda, institutions
from elearn.delegations.agenda_forms import AgendaItemForm, InstitutionForm
from elearn.delegations.agenda_models import AgendaItem, Institution, InstitutionKind
from elearn.delegations.managers import managed_activity_or_403, may_manage
from elearn.extensions import db
from elearn.forms import SimpleActionForm, options, show_error
from elearn.languages import interface_locale
from elearn.scheduling.display import local_span
from elearn.scheduling.models import Activity, Registration, RegistrationState

bp = Blueprint("delegations_agenda", __name__)
trainers_only = roles_required(Role.TRAINER)


@bp.app_context_processor
def _agenda_helpers():
    def agenda_day(moment) -> str:
        return format_date(moment, "full", locale=str(get_locale()))

    def agenda_clock(moment) -> str:
        return format_time(moment, "short", locale=str(get_locale()))

    return {"agenda_day": agenda_day, "agenda_clock": agenda_clock}



def _managed_item(item_id: int) -> AgendaItem:
    item = db.get_or_404(AgendaItem, item_id)
    if not may_manage(current_user, item.session.activity):
        abort(403)
    return item


# The directory ------------------------------------------------------------

@bp.get("/manage/institutions")
@trainers_only
def institution_list():
    page = db.paginate(select(Institution).order_by(Institution.name, Institution.city),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("delegations/agenda/institutions.html", page=page)


def _institution_input(form: InstitutionForm) -> institutions.InstitutionInput:
    return institutions.InstitutionInput(
        name=form.name.data, kind=InstitutionKind(form.kind.data), address=form.address.data or "",
        city=form.city.data or "", country=form.country.data or "", contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "", contact_phone=form.contact_phone.data or "")


def _institution_form(institution: Institution | None):
    form = InstitutionForm(obj=institution)
    if request.method == "GET" and institution is not None:
        form.kind.data = institution.kind.value
    if form.validate_on_submit():
        try:
            institutions.save_institution(_institution_input(form), institution)
        except institutions.InstitutionError as error:
            show_error(form, error)
        else:
            flash(_("The institution is saved."), "success")
            return redirect(url_for("delegations_agenda.institution_list"))
    return render_template("delegations/agenda/institution_form.html", form=form, institution=institution)


@bp.route("/manage/institutions/new", methods=["GET", "POST"])
@trainers_only
def create_institution():
    return _institution_form(None)


@bp.route("/manage/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@trainers_only
def edit_institution(institution_id: int):
    return _institution_form(db.get_or_404(Institution, institution_id))


@bp.get("/manage/institutions/<int:institution_id>/delete")
@trainers_only
def confirm_delete_institution(institution_id: int):
    institution = db.get_or_404(Institution, institution_id)
    return render_template("delegations/agenda/confirm_delete.html", form=SimpleActionForm(), what=institution.name,
                           action=url_for("delegations_agenda.delete_institution", institution_id=institution.id),
                           back=url_for("delegations_agenda.institution_list"))


@bp.post("/manage/institutions/<int:institution_id>/delete")
@trainers_only
def delete_institution(institution_id: int):
    institution = db.get_or_404(Institution, institution_id)
    if SimpleActionForm().validate_on_submit():
        try:
            institutions.delete_institution(institution)
        except institutions.InstitutionError as error:
            flash(str(error), "error")
        else:
            flash(_("The institution is deleted."), "success")
    return redirect(url_for("delegations_agenda.institution_list"))


# Agenda items -------------------------------------------------------------

@bp.get("/manage/activities/<int:activity_id>/agenda")
@trainers_only
def activity_agenda(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    confirmed = _confirmed(activity)
    return render_template("delegations/agenda/items.html", activity=activity, items=agenda.activity_items(activity),
                           confirmed=confirmed)


def _confirmed(activity: Activity) -> list[Registration]:
    return list(db.session.scalars(
        select(Registration).where(Registration.activity_id == activity.id,
                                   Registration.state == RegistrationState.CONFIRMED)
        .options(joinedload(Registration.person)).order_by(Registration.id)))


def _set_choices(form: AgendaItemForm, activity: Activity) -> None:
    form.session_id.choices = options((s.id, f"{local_span(s)}{' · ' + s.title if s.title else ''}")
                                      for s in activity.sessions)
    form.institution_id.choices = options([("", _("None"))] + institutions.institution_choices())
    form.registration_ids.choices = [(r.id, r.person.full_name) for r in _confirmed(activity)]


def _item_input(form: AgendaItemForm) -> agenda.AgendaItemInput:
    return agenda.AgendaItemInput(
        session_id=form.session_id.data, day=form.day.data, start_time=form.start_time.data,
        end_time=form.end_time.data, title=form.title.data, institution_id=form.institution_id.data,
        host=form.host.data or "", room=form.room.data or "", briefing_md=form.briefing_md.data or "",
        for_everyone=form.for_everyone.data, registration_ids=tuple(form.registration_ids.data or ()))


def _item_form(activity: Activity, item: AgendaItem | None):
    form = AgendaItemForm(obj=item)
    _set_choices(form, activity)
    if request.method == "GET" and item is not None:
        form.day.data = item.local_start.date()
        form.start_time.data, form.end_time.data = item.local_start.time(), item.local_end.time()
        form.registration_ids.data = [r.id for r in item.participants]
    elif request.method == "GET" and activity.sessions:
        form.day.data = activity.sessions[0].local_start.date()
    if form.validate_on_submit():
        try:
            if item is None:
                agenda.create_item(activity, _item_input(form))
            else:
                agenda.update_item(item, _item_input(form))
        except agenda.AgendaError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("The agenda item is saved; the participants concerned are sent a calendar invitation."),
                  "success")
            return redirect(url_for("delegations_agenda.activity_agenda", activity_id=activity.id))
    return render_template("delegations/agenda/item_form.html", form=form, activity=activity, item=item)


@bp.route("/manage/activities/<int:activity_id>/agenda/new", methods=["GET", "POST"])
@trainers_only
def create_item(activity_id: int):
    return _item_form(managed_activity_or_403(activity_id), None)


@bp.route("/manage/agenda-items/<int:item_id>/edit", methods=["GET", "POST"])
@trainers_only
def edit_item(item_id: int):
    item = _managed_item(item_id)
    return _item_form(item.session.activity, item)


@bp.get("/manage/agenda-items/<int:item_id>/delete")
@trainers_only
def confirm_delete_item(item_id: int):
    item = _managed_item(item_id)
    back = url_for("delegations_agenda.activity_agenda", activity_id=item.session.activity_id)
    return render_template("delegations/agenda/confirm_delete.html", form=SimpleActionForm(), what=item.title,
                           action=url_for("delegations_agenda.delete_item", item_id=item.id), back=back,
                           consequence=_("The participants concerned are sent a cancellation for their calendar."))


@bp.post("/manage/agenda-items/<int:item_id>/delete")
@trainers_only
def delete_item(item_id: int):
    item = _managed_item(item_id)
    activity_id = item.session.activity_id
    if SimpleActionForm().validate_on_submit():
        agenda.delete_item(item)
        flash(_("The agenda item is deleted."), "success")
    return redirect(url_for("delegations_agenda.activity_agenda", activity_id=activity_id))


# The printable agenda -----------------------------------------------------

def _printed(activity: Activity, items: list[AgendaItem], person=None, *, manage: bool = True) -> str:
    return render_template("delegations/agenda/print.html", activity=activity, days=agenda.by_day(items),
                           person=person, zone=activity.timezone, manage=manage)


@bp.get("/manage/activities/<int:activity_id>/agenda/print")
@trainers_only
def print_agenda(activity_id: int):
    """The whole agenda, or (?registration=<id>) one participant's, in that participant's language."""
    activity = managed_activity_or_403(activity_id)
    registration_id = request.args.get("registration", type=int)
    if registration_id is None:
        return _printed(activity, agenda.activity_items(activity))
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.activity_id != activity.id:
        abort(404)
    with force_locale(interface_locale(registration.person.preferred_language)):
        return _printed(activity, agenda.registration_items(registration), registration.person)


@bp.get("/activities/<int:activity_id>/my-agenda")
@login_required
def my_agenda(activity_id: int):
    """A confirmed participant's own agenda for the activity, in their language; anyone else: 404."""
    registration = db.session.scalar(select(Registration).where(
        Registration.activity_id == activity_id, Registration.person_id == current_user.id,
        Registration.state == RegistrationState.CONFIRMED))
    if registration is None:
        abort(404)
    with force_locale(interface_locale(current_user.preferred_language)):
        return _printed(registration.activity, agenda.registration_items(registration), current_user, manage=False)
