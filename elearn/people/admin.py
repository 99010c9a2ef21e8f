"""Administration of people and parliaments, and the CSV import of people."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from elearn.access import Role, roles_required
from elearn.database import escape_like
from elearn.extensions import db
from elearn.forms import SimpleActionForm, options, show_error
from elearn.i18n import by_name
from elearn.params import int_arg
from elearn.people import affiliations, importing, rights, services
from elearn.people import parliaments as parliaments_service
from elearn.people.forms import (
    ActivationForm,
    ConfirmImportForm,
    ImportForm,
    ParliamentForm,
    PersonForm,
    SideChangeForm,
    side_choices,
)
from elearn.people.login import is_fresh, note_password_entered
from elearn.people.models import Gender, Parliament, Person, PersonKind, PoliticalSide

bp = Blueprint("people_admin", __name__, url_prefix="/admin")

admin_only = roles_required(Role.ADMIN)


def _parliament_choices():
    locale = str(get_locale())
    parliaments = by_name(db.session.scalars(select(Parliament)), locale)
    return [("", _("None"))] + [(str(p.id), p.name(locale)) for p in parliaments]


def _person_or_404(person_id: int) -> Person:
    return db.get_or_404(Person, person_id)


@bp.get("/people")
@admin_only
def people():
    query = request.args.get("q", "").strip()
    parliament_id = int_arg("parliament")
    role = request.args.get("role", "")
    kind = request.args.get("kind", "")
    status = request.args.get("status", "active")
    statement = select(Person).options(joinedload(Person.parliament)).order_by(Person.full_name, Person.id)
    if query:
        like = f"%{escape_like(query)}%"
        # ILIKE on the column itself (not lower()), so that PostgreSQL's trigram index answers.
        statement = statement.where(or_(Person.full_name.ilike(like, escape="\\"),
                                        Person.email.like(like.lower(), escape="\\")))
    if parliament_id:
        statement = statement.where(Person.parliament_id == parliament_id)
    if role in {r.value for r in Role}:
        statement = statement.where(Person.role == Role(role))
    if kind in {k.value for k in PersonKind}:
        statement = statement.where(Person.kind == PersonKind(kind))
    if status == "active":
        statement = statement.where(Person.is_active.is_(True))
    elif status == "inactive":
        statement = statement.where(Person.is_active.is_(False))
    page = db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "people_admin/people.html", page=page, query=query, parliament_id=parliament_id,
        role=role, kind=kind, status=status, parliaments=_parliament_choices(),
        roles=Role.choices(), action_form=SimpleActionForm())


def _form_to_data(form: PersonForm) -> services.PersonData:
    return services.PersonData(
        email=form.email.data, full_name=form.full_name.data, kind=PersonKind(form.kind.data),
        role=Role(form.role.data),
        parliament_id=int(form.parliament_id.data) if form.parliament_id.data else None,
        position=form.position.data or "", preferred_language=form.preferred_language.data,
        timezone=form.timezone.data, gender=Gender(form.gender.data) if form.gender.data else None,
        political_side=PoliticalSide(form.political_side.data) if form.political_side.data else None,
        term_started_on=form.term_started_on.data,
    )


def _attach_problems(form: PersonForm, problems) -> None:
    for field_name, message in problems:
        field = getattr(form, "parliament_id" if field_name == "parliament" else field_name, None)
        (field.errors if field is not None else form.form_errors).append(message)


def _confirmed_for_sensitive_change(form: PersonForm, person: Person | None, data: services.PersonData) -> bool:
    """Roles, email addresses and parliaments change only with a recently typed password (ASVS 3.7.1)."""
    return not rights.needs_recent_password(person, data) or _password_recently_typed(
        form.your_password,
        _("To change a role, an email address or the parliament of someone above learner, type your own password "
          "(it was last typed over %(n)d minutes ago).", n=_fresh_minutes()))


def _fresh_minutes() -> int:
    return int(current_app.config["FRESH_LOGIN_WINDOW"].total_seconds() // 60)


def _password_recently_typed(field, refusal: str) -> bool:
    """True if the session is fresh, or if the administrator's own password is typed in `field`.

    A stale session can still make the change by typing the password in the form itself,
    so nothing the administrator entered is lost to a detour.
    """
    if is_fresh():
        return True
    if field.data:
        try:
            matches = services.check_own_password(current_user._get_current_object(), field.data)
        except services.AccountError as error:
            field.errors = [*field.errors, str(error)]
            return False
        if matches:
            note_password_entered()
            return True
    field.errors = [*field.errors, refusal]
    return False


@bp.route("/people/new", methods=["GET", "POST"])
@admin_only
def create_person():
    form = PersonForm()
    form.parliament_id.choices = options(_parliament_choices())
    if form.validate_on_submit():
        data = _form_to_data(form)
        problems = services.check_person_data(data)
        if problems:
            _attach_problems(form, problems)
        elif _confirmed_for_sensitive_change(form, None, data):
            person = services.create_person(data, invite=form.send_invitation.data,
                                            invited_by=current_user._get_current_object(),
                                            actor=current_user._get_current_object())
            flash(_("%(name)s is added.", name=person.full_name), "success")
            return redirect(url_for("people_admin.people"))
    return render_template("people_admin/person_form.html", form=form, person=None, password_is_fresh=is_fresh())


def _person_form(person: Person, *, stored: bool) -> PersonForm:
    """The person form, holding what is stored (`stored`) or what was just posted."""
    form = PersonForm(obj=person, formdata=None) if stored else PersonForm(obj=person)
    form.parliament_id.choices = options(_parliament_choices())
    if stored:
        form.parliament_id.data = str(person.parliament_id or "")
        form.gender.data = person.gender.value if person.gender else ""
        form.political_side.data = person.political_side.value if person.political_side else ""
    return form


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@admin_only
def edit_person(person_id: int):
    person = _person_or_404(person_id)
    form = _person_form(person, stored=request.method == "GET")
    if form.validate_on_submit():
        data = _form_to_data(form)
        problems = services.check_person_data(data, existing=person)
        if problems:
            _attach_problems(form, problems)
        elif _confirmed_for_sensitive_change(form, person, data):
            services.update_person(person, data, actor=current_user._get_current_object())
            flash(_("Changes to %(name)s are saved.", name=person.full_name), "success")
            return redirect(url_for("people_admin.edit_person", person_id=person.id))
    return _person_page(person, form)


def _person_page(person: Person, form: PersonForm, side_form: SideChangeForm | None = None):
    """The person's page; showing an MP's political side (and its history) is an audited read."""
    history = None
    if person.kind == PersonKind.MP or person.political_side is not None:
        history = affiliations.read_side(person, actor=current_user._get_current_object())
    return render_template("people_admin/person_form.html", form=form, person=person, password_is_fresh=is_fresh(),
                           action_form=SimpleActionForm(), activation_form=ActivationForm(), history=history,
                           side_form=side_form or SideChangeForm(), side_labels=dict(side_choices()))


@bp.post("/people/<int:person_id>/political-side")
@admin_only
def record_side_change(person_id: int):
    """Record a change of side with the date it took effect (an election, a change of group)."""
    person = _person_or_404(person_id)
    side_form = SideChangeForm()
    if side_form.validate_on_submit():
        try:
            affiliations.record_change(
                person, PoliticalSide(side_form.side.data) if side_form.side.data else None,
                side_form.effective_from.data, actor=current_user._get_current_object(),
                note=side_form.note.data or "")
        except affiliations.AffiliationError as error:
            flash(str(error), "error")
        else:
            flash(_("The change of political side is recorded."), "success")
        return redirect(url_for("people_admin.edit_person", person_id=person.id))
    return _person_page(person, _person_form(person, stored=True), side_form)


@bp.post("/people/<int:person_id>/active")
@admin_only
def set_active(person_id: int):
    person = _person_or_404(person_id)
    form = ActivationForm()
    if not form.validate_on_submit():
        abort(400)
    activate = request.form.get("active") == "1"
    if person.id == current_user.id and not activate:
        flash(_("You cannot deactivate your own account."), "error")
    elif rights.activation_needs_recent_password(person, activate) and not _password_recently_typed(
            form.your_password, _("To reactivate an account above learner, type your own password (it was last "
                                  "typed over %(n)d minutes ago).", n=_fresh_minutes())):
        flash(" ".join(form.your_password.errors), "error")
    else:
        services.set_active(person, activate, actor=current_user._get_current_object())
        flash(_("%(name)s is reactivated.", name=person.full_name) if activate
              else _("%(name)s is deactivated and can no longer sign in.", name=person.full_name), "success")
    return redirect(url_for("people_admin.edit_person", person_id=person.id))


@bp.post("/people/<int:person_id>/invite")
@admin_only
def invite(person_id: int):
    person = _person_or_404(person_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    if not person.is_active:
        flash(_("Reactivate the account before sending an invitation."), "error")
    else:
        services.send_invitation(person, current_user._get_current_object())
        flash(_("An invitation is on its way to %(email)s.", email=person.email), "success")
    return redirect(url_for("people_admin.edit_person", person_id=person.id))


@bp.route("/people/import", methods=["GET", "POST"])
@admin_only
def import_people():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            text = importing.decode_csv(form.file.data.read())
            check = importing.check_csv(text)
        except importing.ImportFileError as error:
            form.file.errors.append(str(error))
        else:
            return _import_preview(check, text, form.send_invitations.data, ConfirmImportForm())
    return render_template("people_admin/import.html", form=form)


def _import_preview(check, text: str, send_invitations: bool, confirm_form: ConfirmImportForm):
    return render_template("people_admin/import_preview.html", check=check, csv_text=text,
                           send_invitations=send_invitations, confirm_form=confirm_form,
                           raises_roles=_raises_roles(check), password_is_fresh=is_fresh(),
                           role_labels=Role.labels())


def _raises_roles(check) -> bool:
    return any(row.data.role != Role.LEARNER for row in check.rows)


@bp.post("/people/import/confirm")
@admin_only
def confirm_import():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    text = request.form.get("csv_text", "")
    send_invitations = request.form.get("send_invitations") == "1"
    try:
        check = importing.check_csv(text)
    except importing.ImportFileError as error:
        flash(str(error), "error")
        return redirect(url_for("people_admin.import_people"))
    # Creating trainers or administrators is a role change: it needs a recently typed password.
    if _raises_roles(check) and not _password_recently_typed(
            form.your_password,
            _("Some people here get a role above learner: type your own password to import them "
              "(it was last typed over %(n)d minutes ago).", n=_fresh_minutes())):
        return _import_preview(check, text, send_invitations, form)
    try:
        people = importing.import_people(text, send_invitations=send_invitations,
                                         invited_by=current_user._get_current_object())
    except importing.ImportFileError as error:
        flash(str(error), "error")
        return redirect(url_for("people_admin.import_people"))
    flash(ngettext("%(num)d person imported.", "%(num)d people imported.", len(people)), "success")
    return redirect(url_for("people_admin.people"))


@bp.get("/parliaments")
@admin_only
def parliaments():
    counts = dict(db.session.execute(
        select(Person.parliament_id, func.count(Person.id)).group_by(Person.parliament_id)).all())
    items = by_name(db.session.scalars(select(Parliament)))
    return render_template("people_admin/parliaments.html", parliaments=items, counts=counts)


def _parliament_input(form: ParliamentForm) -> parliaments_service.ParliamentInput:
    return parliaments_service.ParliamentInput(
        name_en=form.name_en.data, name_fr=form.name_fr.data, name_es=form.name_es.data, name_pt=form.name_pt.data,
        name_ar=form.name_ar.data, country_code=form.country_code.data,
        chamber_name=form.chamber_name.data, gives_assistance=form.gives_assistance.data,
        receives_assistance=form.receives_assistance.data, working_languages=tuple(form.working_languages.data))


def _save_parliament(form: ParliamentForm, parliament: Parliament | None) -> bool:
    try:
        parliaments_service.save_parliament(_parliament_input(form), parliament)
    except parliaments_service.ParliamentError as error:
        show_error(form, error)
        return False
    return True


@bp.route("/parliaments/new", methods=["GET", "POST"])
@admin_only
def create_parliament():
    form = ParliamentForm()
    if form.validate_on_submit() and _save_parliament(form, None):
        flash(_("The parliament is added."), "success")
        return redirect(url_for("people_admin.parliaments"))
    return render_template("people_admin/parliament_form.html", form=form, parliament=None)


@bp.route("/parliaments/<int:parliament_id>", methods=["GET", "POST"])
@admin_only
def edit_parliament(parliament_id: int):
    parliament = db.get_or_404(Parliament, parliament_id)
    form = ParliamentForm(obj=parliament)
    if form.validate_on_submit() and _save_parliament(form, parliament):
        flash(_("Changes are saved."), "success")
        return redirect(url_for("people_admin.parliaments"))
    return render_template("people_admin/parliament_form.html", form=form, parliament=parliament,
                           action_form=SimpleActionForm())


@bp.post("/parliaments/<int:parliament_id>/delete")
@admin_only
def delete_parliament(parliament_id: int):
    parliament = db.get_or_404(Parliament, parliament_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    try:
        parliaments_service.delete_parliament(parliament)
    except parliaments_service.ParliamentError as error:
        flash(str(error), "error")
        return redirect(url_for("people_admin.edit_parliament", parliament_id=parliament_id))
    flash(_("The parliament is deleted."), "success")
    return redirect(url_for("people_admin.parliaments"))
