"""Signing in and out, passwords, invitations and the person's own profile."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from elearn.access import login_required, public
from elearn.extensions import limiter
from elearn.people import affiliations, resets, services, two_factor_views
from elearn.people.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    NewPasswordForm,
    ProfileForm,
)
from elearn.people.login import start_session
from elearn.people.models import Gender, PersonKind, PoliticalSide, TokenPurpose
from elearn.urls import is_safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _account_key() -> str:
    return "login:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.shared_limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], scope=two_factor_views.SIGN_IN_ACCOUNT_SCOPE,
                      methods=["POST"], key_func=_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        person = services.authenticate(form.email.data, form.password.data)
        if person is None:
            failed = True
            services.record_failed_login(form.email.data)
        elif two_factor_views.code_needed(person):
            return two_factor_views.ask_for_code(person, remember=form.remember.data, target=request.args.get("next"))
        else:
            start_session(person, remember=form.remember.data)
            services.record_login(person)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("main.dashboard"))
    return render_template("accounts/login.html", form=form, failed=failed)


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    response = redirect(url_for("main.home"))
    if form.validate_on_submit():
        person = current_user._get_current_object()
        services.sign_out_everywhere(person)
        session.clear()
        logout_user()  # after clear(): it leaves the instruction to delete the remember-me cookie
        session["language"] = person.preferred_language  # keep speaking their language
        flash(_("You are signed out."), "success")
        # A shared computer or phone keeps nothing of theirs: pages in the browser's cache, courses saved for
        # offline reading, a check-in queue, and the service workers that hold them (cookies stay: the
        # session's own was just replaced, and the next visitor keeps the language).
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user._get_current_object(), form.current.data, form.password.data)
        except services.AccountError as error:
            (form.password if isinstance(error, services.WeakPassword) else form.current).errors.append(str(error))
        else:
            # The password change disowned every session, this one included; start a fresh one.
            start_session(current_user._get_current_object(), remember=session.get("remembered", False))
            flash(_("Your password is changed. Other devices have been signed out, and your private calendar address "
                    "has stopped working: make a new one under Calendar subscriptions."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


def _reset_key() -> str:
    return "reset:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RESET_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_reset_key)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        resets.ask_for_reset(form.email.data)  # the mail is made by the sender: the same work for any address
        flash(_("If an account uses that address, a link to choose a new password is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


def _set_password_with_token(token: str, purpose: TokenPurpose, template: str):
    if services.valid_token(token, purpose) is None:
        return render_template("accounts/link_expired.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            person = services.use_token_to_set_password(token, purpose, form.password.data)
        except services.AccountError as error:
            form.password.errors.append(str(error))
        else:
            if two_factor_views.code_needed(person):  # a reset link alone must not get past strong sign-in
                response = two_factor_views.ask_for_code(person)  # a new session: the message goes after
                flash(_("Your password is saved. Type a code from your authenticator app to sign in."), "success")
                return response
            start_session(person)
            services.record_login(person)
            flash(_("Your password is saved and you are signed in."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template(template, form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    return _set_password_with_token(token, TokenPurpose.PASSWORD_RESET, "accounts/reset_password.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    return _set_password_with_token(token, TokenPurpose.INVITATION, "accounts/accept_invitation.html")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    person = current_user._get_current_object()
    is_mp = person.kind == PersonKind.MP
    form = ProfileForm(obj=person)
    if not is_mp:
        # Not shown to other kinds, so never posted: validating them would refuse every save.
        del form.political_side
        del form.term_started_on
    if request.method == "GET":
        form.gender.data = person.gender.value if person.gender else ""
        if is_mp:
            form.political_side.data = person.political_side.value if person.political_side else ""
    if form.validate_on_submit():
        data = services.ProfileData(
            full_name=form.full_name.data, position=form.position.data or "",
            preferred_language=form.preferred_language.data, timezone=form.timezone.data,
            gender=Gender(form.gender.data) if form.gender.data else None,
            political_side=PoliticalSide(form.political_side.data) if is_mp and form.political_side.data else None,
            term_started_on=form.term_started_on.data if is_mp else None,
        )
        try:
            services.update_profile(person, data)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            session["language"] = person.preferred_language
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    if is_mp:
        affiliations.read_side(person, actor=person)  # the form shows the side: an audited read, even one's own
    return render_template("accounts/profile.html", form=form, person=person, is_mp=is_mp)
