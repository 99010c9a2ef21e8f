"""Notification settings, and the unsubscribe links of optional mail."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import login_required, public
from elearn.extensions import csrf, db
from elearn.notifications import services
from elearn.notifications.forms import PreferencesForm
from elearn.topics import Topic

bp = Blueprint("notifications", __name__, url_prefix="/account/notifications")


@bp.route("/", methods=["GET", "POST"])
@login_required
def preferences():
    person = current_user._get_current_object()
    preference = services.preference_for(person)
    form = PreferencesForm()
    locale = str(get_locale())
    form.topic_ids.choices = [(t.id, t.name(locale)) for t in db.session.scalars(select(Topic).order_by(Topic.slug))]
    if not form.is_submitted():
        form.reminders.data, form.digest.data = preference.reminders, preference.digest
        form.languages.data = sorted(services.followed_languages(person, preference))
        form.topic_ids.data = [t.id for t in preference.topics]
    if form.validate_on_submit():
        services.save_preferences(person, services.PreferenceInput(
            reminders=form.reminders.data, digest=form.digest.data,
            languages=tuple(form.languages.data or ()), topic_ids=tuple(form.topic_ids.data or ())))
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form)


def _token_or_404(token: str):
    found = services.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    return found


@bp.get("/unsubscribe/<token>")
@public
def unsubscribe_page(token: str):
    """Ask before unsubscribing: link checkers and previews open links, and a GET must change nothing."""
    _person, mail = _token_or_404(token)
    return render_template("notifications/unsubscribe.html", mail=mail, token=token, done=False)


# RFC 8058 one-click unsubscribe: the mail client POSTs "List-Unsubscribe=One-Click"
# to the List-Unsubscribe address without a session, a form or a CSRF token. The
# signed token in the URL is what authorises the request, and all it can do is
# turn one kind of optional mail off, so this one view is exempt from CSRF.
@bp.post("/unsubscribe/<token>")
@public
@csrf.exempt
def unsubscribe(token: str):
    person, mail = _token_or_404(token)
    services.unsubscribe(person, mail)
    return render_template("notifications/unsubscribe.html", mail=mail, token=token, done=True)



