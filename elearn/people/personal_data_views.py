"""Personal data over HTTP: "Your data" (page and JSON) for everyone, and an administrator's export and erasure."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SubmitField
from wtforms.validators import Optional

from elearn.access import Role, login_required, roles_required
from elearn.extensions import db
from elearn.people import erasure, personal_data
from elearn.people.admin import _fresh_minutes, _password_recently_typed
from elearn.people.login import is_fresh
from elearn.people.models import Person
from elearn.people.personal_data_display import tables

bp = Blueprint("personal_data", __name__)


class EraseForm(FlaskForm):
    # Asked only when the administrator's own password was typed too long ago (see login.is_fresh).
    your_password = PasswordField(_l("Your own password"), validators=[Optional()])
    submit = SubmitField(_l("Erase this person"))


def _me() -> Person:
    return current_user._get_current_object()


def _page(person: Person, *, own: bool):
    data = personal_data.export(person, actor=_me(), form="page")
    subject = pgettext("personal data", "you") if own else person.full_name
    response = Response(render_template("personal_data/data.html", person=person, own=own,
                                         tables=tables(data, subject)))
    response.headers["Cache-Control"] = "no-store"
    return response


def _download(person: Person) -> Response:
    data = personal_data.export(person, actor=_me(), form="json")
    response = Response(personal_data.as_json(data), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="hemicycle-personal-data-{person.id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/data")
@login_required
def your_data():
    return _page(_me(), own=True)


@bp.get("/account/data.json")
@login_required
def your_data_json():
    return _download(_me())


@bp.get("/admin/people/<int:person_id>/data")
@roles_required(Role.ADMIN)
def person_data(person_id: int):
    return _page(db.get_or_404(Person, person_id), own=False)


@bp.get("/admin/people/<int:person_id>/data.json")
@roles_required(Role.ADMIN)
def person_data_json(person_id: int):
    return _download(db.get_or_404(Person, person_id))


def _confirmation(person: Person, form: EraseForm):
    try:
        lines = erasure.consequences(erasure.plan(person, _me()))
    except erasure.ErasureError as error:
        flash(str(error), "error")
        return redirect(url_for("people_admin.edit_person", person_id=person.id))
    return render_template("personal_data/erase.html", person=person, lines=lines, form=form,
                           password_is_fresh=is_fresh())


@bp.route("/admin/people/<int:person_id>/erase", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def erase_person(person_id: int):
    """A confirmation page saying what will go and what stays; the erasure needs a recently typed password."""
    person = db.get_or_404(Person, person_id)
    form = EraseForm()
    if form.validate_on_submit() and _password_recently_typed(
            form.your_password,
            _("To erase a person, type your own password (it was last typed over %(n)d minutes ago).",
              n=_fresh_minutes())):
        try:
            erasure.erase(person, actor=_me())
        except erasure.ErasureError as error:
            flash(str(error), "error")
        else:
            flash(_("The person's personal data is erased."), "success")
        return redirect(url_for("people_admin.edit_person", person_id=person.id))
    return _confirmation(person, form)
