"""The "API tokens" page of a person's account: make a token (its secret shown once), list, revoke."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import login_required
from elearn.api.models import ApiToken
from elearn.api.scopes import Scope, parse_scopes
from elearn.api.token_forms import TokenForm
from elearn.api.tokens import TokenError, create_token, revoke_token, tokens_of
from elearn.database import utcnow
from elearn.extensions import db
from elearn.forms import SimpleActionForm
from elearn.security import uncompressed

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _page(form: TokenForm, new_secret: str | None = None, status: int = 200):
    person = current_user._get_current_object()
    return render_template("api/tokens.html", form=form, tokens=tokens_of(person), new_secret=new_secret,
                           action_form=SimpleActionForm(), now=utcnow(), scopes_of=parse_scopes), status


@bp.get("/")
@login_required
def index():
    return _page(TokenForm().offer(current_user))


@bp.post("/")
@uncompressed  # the new token's secret
@login_required
def create():
    form = TokenForm().offer(current_user)
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        made = create_token(current_user._get_current_object(), form.name.data,
                            [Scope(value) for value in form.scopes.data], form.expires_in_days.data)
    except TokenError as error:
        form.form_errors.append(str(error))
        return _page(form, status=422)
    # The secret is on this page only: it is not kept anywhere it could be read again (not even the session).
    return _page(TokenForm(formdata=None).offer(current_user), new_secret=made.secret, status=201)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    token = db.session.get(ApiToken, token_id)
    if token is None or token.person_id != current_user.id:
        abort(404)
    revoke_token(token, actor=current_user._get_current_object())
    flash(_("The token “%(name)s” is revoked: calls made with it are refused from now on.", name=token.name),
          "success")
    return redirect(url_for("api_tokens.index"))
