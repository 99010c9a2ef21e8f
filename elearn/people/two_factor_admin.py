"""An administrator resets another person's strong sign-in (a lost phone)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Role, roles_required
from elearn.extensions import db
from elearn.people import two_factor
from elearn.people.models import Person
from elearn.people.two_factor_forms import PasswordConfirmForm
from elearn.people.two_factor_views import password_confirmed

bp = Blueprint("two_factor_admin", __name__, url_prefix="/admin")


@bp.post("/people/<int:person_id>/two-factor/reset")
@roles_required(Role.ADMIN)
def reset(person_id: int):
    """Like a role change, it needs the administrator's password typed in the last few minutes."""
    person = db.get_or_404(Person, person_id)
    form = PasswordConfirmForm()
    if form.validate_on_submit() and password_confirmed(form.your_password):
        try:
            two_factor.reset_by_admin(person, actor=current_user._get_current_object())
        except two_factor.TwoFactorError as error:
            flash(str(error), "error")
        else:
            flash(_("Two-step sign-in of %(name)s is reset: they are signed out everywhere and set it up again "
                    "at their next sign-in.", name=person.full_name), "success")
    else:
        flash(" ".join(form.your_password.errors) or _("The form has expired: try again."), "error")
    return redirect(url_for("people_admin.edit_person", person_id=person.id))


@bp.app_template_global()
def two_factor_enrolled(person: Person) -> bool:
    return two_factor.is_enrolled(person)
