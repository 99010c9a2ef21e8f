"""Pages of strong sign-in: the code after the password, enrolment, recovery codes, and "Your devices"."""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user

from elearn.access import login_required, public
from elearn.database import utcnow
from elearn.extensions import db, limiter
from elearn.forms import SimpleActionForm
from elearn.people import devices, services, two_factor
from elearn.people.login import is_fresh, note_password_entered, start_session
from elearn.people.models import Person
from elearn.people.two_factor_forms import EnrolForm, PasswordConfirmForm, SignInCodeForm
from elearn.security import is_sessionless_request, uncompressed
from elearn.urls import is_safe_next

bp = Blueprint("two_factor", __name__, url_prefix="/account")

# A password accepted waits this long for its code.
PENDING_SECONDS = 300
# Pages a person who must enrol can still reach.
OPEN_WHILE_ENROLLING = {"two_factor.setup", "accounts.logout", "main.set_language", "static"}
# Counted with the sign-in form's per-account limit (people/views.py), so codes and passwords share it.
SIGN_IN_ACCOUNT_SCOPE = "sign-in-account"


def code_needed(person: Person) -> bool:
    """Whether a sign-in whose password is right must still give a one-time code on this browser."""
    return two_factor.is_enrolled(person) and not devices.is_trusted(person)


def ask_for_code(person: Person, *, remember: bool = False, target: str | None = None):
    """Hold the sign-in (not signed in yet) until the code page accepts a code."""
    session.clear()
    session["pending_sign_in"] = {"person": person.id, "key": person.session_key, "remember": bool(remember),
                                  "next": target if is_safe_next(target) else None, "at": utcnow().timestamp()}
    return redirect(url_for("two_factor.code"))


def _pending_person() -> Person | None:
    pending = session.get("pending_sign_in")
    if not isinstance(pending, dict) or utcnow().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    person = db.session.get(Person, pending.get("person") or 0)
    if person is None or not person.is_active or person.session_key != pending.get("key"):
        return None
    return person


def pending_account_key() -> str:
    person = _pending_person()
    return "login:" + (person.email if person else "")


def password_confirmed(field) -> bool:
    """A fresh session, or the person's own password typed in `field` (a restored session is never fresh)."""
    if is_fresh():
        return True
    if field.data:
        try:
            if services.check_own_password(current_user._get_current_object(), field.data):
                note_password_entered()
                return True
        except services.AccountError as error:
            field.errors = [*field.errors, str(error)]
            return False
    field.errors = [*field.errors, _("Type your password to confirm it is you.")]
    return False


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.shared_limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], scope=SIGN_IN_ACCOUNT_SCOPE,
                      methods=["POST"], key_func=pending_account_key)
def code():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    person = _pending_person()
    if person is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = SignInCodeForm()
    days = current_app.config["TWO_FACTOR_TRUST_DURATION"].days
    form.trust.label.text = ngettext("Don't ask for a code on this device for %(num)d day",
                                     "Don't ask for a code on this device for %(num)d days", days)
    if form.validate_on_submit():
        try:
            accepted = two_factor.check_sign_in_code(person, form.code.data)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(str(error))
        else:
            if accepted:
                return _finish_sign_in(person, trust=form.trust.data)
            form.code.errors.append(_("This code is not right, or it was already used."))
    return render_template("accounts/sign_in_code.html", form=form)


def _finish_sign_in(person: Person, *, trust: bool):
    pending = session["pending_sign_in"]
    start_session(person, remember=pending["remember"], trust_device=trust)
    services.record_login(person)
    left = two_factor.recovery_codes_left(person)
    if left < two_factor.RECOVERY_CODES // 2:
        flash(ngettext("You have %(num)d recovery code left: make new ones on the two-step sign-in page.",
                       "You have %(num)d recovery codes left: make new ones on the two-step sign-in page.", left),
              "info")
    return redirect(pending["next"] if is_safe_next(pending["next"]) else url_for("main.dashboard"))


@bp.route("/two-factor", methods=["GET", "POST"])
@uncompressed  # the key being enrolled, then the recovery codes
@login_required
def setup():
    person = current_user._get_current_object()
    if two_factor.is_enrolled(person):
        return render_template("accounts/two_factor.html", person=person, required=two_factor.is_required(person),
                               codes_left=two_factor.recovery_codes_left(person),
                               credential=two_factor.credential_of(person), form=PasswordConfirmForm(),
                               password_is_fresh=is_fresh())
    form = EnrolForm()
    if form.validate_on_submit() and password_confirmed(form.your_password):
        try:
            codes = two_factor.confirm_enrolment(person, session.get("enrolment_nonce"), form.code.data)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(str(error))
        else:
            session.pop("enrolment_nonce", None)
            return render_template("accounts/recovery_codes.html", codes=codes, first_time=True)
    if "enrolment_nonce" not in session:
        session["enrolment_nonce"] = secrets.token_urlsafe(16)
    secret = two_factor.enrolment_secret(person, session["enrolment_nonce"])
    return render_template("accounts/two_factor_enrol.html", form=form, required=two_factor.must_enrol(person),
                           qr_code=two_factor.qr_code_data_uri(two_factor.provisioning_uri(person, secret)),
                           secret=two_factor.grouped_secret(secret), password_is_fresh=is_fresh())


@bp.post("/two-factor/recovery-codes")
@uncompressed
@login_required
def renew_recovery_codes():
    person = current_user._get_current_object()
    form = PasswordConfirmForm()
    if form.validate_on_submit() and password_confirmed(form.your_password):
        try:
            codes = two_factor.renew_recovery_codes(person)
        except two_factor.TwoFactorError as error:
            flash(str(error), "error")
        else:
            return render_template("accounts/recovery_codes.html", codes=codes, first_time=False)
    else:
        flash(" ".join(form.your_password.errors) or _("The form has expired: try again."), "error")
    return redirect(url_for("two_factor.setup"))


@bp.post("/two-factor/disable")
@login_required
def disable():
    person = current_user._get_current_object()
    form = PasswordConfirmForm()
    if form.validate_on_submit() and password_confirmed(form.your_password):
        try:
            two_factor.disable(person)
        except two_factor.TwoFactorError as error:
            flash(str(error), "error")
        else:
            flash(_("Two-step sign-in is off. Devices you trusted will ask for nothing more than the password."),
                  "success")
    else:
        flash(" ".join(form.your_password.errors) or _("The form has expired: try again."), "error")
    return redirect(url_for("two_factor.setup"))


@bp.get("/devices")
@login_required
def device_list():
    person = current_user._get_current_object()
    current = devices.this_device(person)
    return render_template("accounts/devices.html", devices=devices.devices_of(person),
                           current_id=current.id if current else None, form=SimpleActionForm(), now=utcnow())


@bp.post("/devices/<int:device_id>/revoke")
@login_required
def revoke_device(device_id: int):
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    try:
        device = devices.revoke(current_user._get_current_object(), device_id)
    except devices.DeviceError:
        abort(404)
    flash(_("%(device)s is forgotten: it no longer keeps you signed in or skips the code.", device=device.label),
          "success")
    return redirect(url_for("two_factor.device_list"))


@bp.before_app_request
def confine_until_enrolled():
    """End sessions of revoked devices; keep a person who must enrol on the enrolment page."""
    if is_sessionless_request() or request.endpoint in OPEN_WHILE_ENROLLING or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        return None
    if devices.end_revoked_session():
        logout_user()
        flash(_("This device was forgotten: please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    if two_factor.must_enrol(current_user._get_current_object()):
        flash(_("Your role requires two-step sign-in: set it up to continue."), "info")
        return redirect(url_for("two_factor.setup"))
    return None


bp.after_app_request(devices.write_cookie)

