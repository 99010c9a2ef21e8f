"""Invitation letters: the trainers' page per activity, issuing and downloading, the participant's own
letters, and the public check by verification code."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectField

from elearn.access import Role, login_required, public, roles_required
from elearn.delegations import letters
from elearn.delegations.letters_models import InvitationLetter
from elearn.delegations.letters_pdf import letter_pdf
from elearn.delegations.logistics import logistics_of
from elearn.delegations.logistics_models import Logistics
from elearn.delegations.managers import managed_activity_or_403, may_manage
from elearn.extensions import db, limiter
from elearn.forms import SimpleActionForm
from elearn.languages import language_name
from elearn.people.models import Person
from elearn.scheduling.models import Activity, ActivityStatus, Registration, RegistrationState

bp = Blueprint("delegation_letters", __name__)
trainers_only = roles_required(Role.TRAINER)


class IssueLetterForm(FlaskForm):
    # Any code is accepted here: the service refuses a language the participant's letters are not offered in.
    language = SelectField(_l("Language"), validate_choice=False)



def _letters_page(activity_id: int):
    return redirect(url_for("delegation_letters.activity_letters", activity_id=activity_id,
                            page=request.args.get("page", type=int) or None))


@bp.get("/manage/activities/<int:activity_id>/letters")
@trainers_only
def activity_letters(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    statement = (select(Registration).join(Person, Registration.person_id == Person.id)
                 .where(Registration.activity_id == activity.id, Registration.state == RegistrationState.CONFIRMED)
                 .options(selectinload(Registration.person).selectinload(Person.parliament))
                 .order_by(Person.full_name, Registration.id))
    roster = db.paginate(statement, per_page=current_app.config["ROSTER_PAGE_SIZE"], error_out=False)
    ids = [registration.id for registration in roster.items]
    logistics = {row.registration_id: row for row in db.session.scalars(
        select(Logistics).where(Logistics.registration_id.in_(ids)))} if ids else {}
    return render_template("delegations/letters/activity.html", activity=activity, roster=roster,
                           logistics=logistics, current=letters.current_letters(ids),
                           languages=letters.letter_languages, language_name=language_name,
                           issue_form=IssueLetterForm(), action_form=SimpleActionForm())


@bp.post("/manage/registrations/<int:registration_id>/letters")
@trainers_only
def issue(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    managed_activity_or_403(registration.activity_id)
    form = IssueLetterForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        letter = letters.issue(registration, form.language.data or "", current_user)
    except letters.LetterError as error:
        flash(str(error), "error")
    else:
        flash(_("The letter for %(name)s is issued, with the code %(code)s.",
                name=registration.person.full_name, code=letter.code), "success")
    return _letters_page(registration.activity_id)


@bp.post("/manage/letters/<int:letter_id>/reissue")
@trainers_only
def reissue(letter_id: int):
    old = db.get_or_404(InvitationLetter, letter_id)
    managed_activity_or_403(old.registration.activity_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    try:
        letter = letters.reissue(old, current_user)
    except letters.LetterError as error:
        flash(str(error), "error")
    else:
        flash(_("A new letter for %(name)s is issued, with the code %(code)s; the old code now shows it "
                "was replaced.", name=letter.holder_name, code=letter.code), "success")
    return _letters_page(old.registration.activity_id)


@bp.get("/letters/<int:letter_id>.pdf")
@login_required
def download(letter_id: int):
    """The activity's trainers and administrators: any letter; the participant: their current letters only."""
    letter = db.get_or_404(InvitationLetter, letter_id)
    registration = letter.registration
    own = registration.person_id == current_user.id and letter.is_current and letters.still_invited(letter)
    if not (own or may_manage(current_user, registration.activity)):
        abort(404)
    body = letter_pdf(letter, logistics_of(registration))
    letters.record_download(letter, current_user)
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="invitation-letter-{registration.activity_id}-{letter.id}-{letter.language}.pdf"')
    response.headers["Cache-Control"] = "private, no-store"  # it holds passport data
    return response


@bp.get("/my/letters")
@login_required
def my_letters():
    rows = db.session.scalars(
        select(InvitationLetter).join(Registration).join(Activity, Activity.id == Registration.activity_id)
        .where(Registration.person_id == current_user.id, InvitationLetter.superseded_at.is_(None),
               Registration.state == RegistrationState.CONFIRMED, Activity.status != ActivityStatus.CANCELLED)
        .options(selectinload(InvitationLetter.registration))
        .order_by(InvitationLetter.starts_on.desc(), InvitationLetter.language)).all()
    return render_template("delegations/letters/mine.html", letters=rows, language_name=language_name)


# Codes are 60 random bits, so guessing is hopeless; the limit keeps a script from trying anyway.
_lookups = limiter.shared_limit(lambda: current_app.config["LETTER_LOOKUP_LIMIT_PER_IP"], scope="letter-lookup")


@bp.get("/letters/check")
@public
@_lookups
def find():
    typed = request.args.get("code", "").strip()[:100]
    if not typed:
        return render_template("delegations/letters/find.html", typed="")
    letter = letters.letter_by_code(typed)
    if letter is None:
        return render_template("delegations/letters/find.html", typed=typed), 404
    return redirect(url_for("delegation_letters.verify", code=letter.code))


@bp.get("/letters/check/<code>")
@public
@_lookups
def verify(code: str):
    letter = letters.letter_by_code(code)
    if letter is None:
        return render_template("delegations/letters/find.html", typed=code[:100]), 404
    # Only what the page shows is handed to it: no passport data, position or parliament.
    return render_template("delegations/letters/verify.html", code=letter.code, holder_name=letter.holder_name,
                           activity_title=letter.activity_title, starts_on=letter.starts_on,
                           ends_on=letter.ends_on, superseded_at=letter.superseded_at,
                           withdrawn=not letters.still_invited(letter))
