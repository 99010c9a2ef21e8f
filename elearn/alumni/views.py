"""Pages of the alumni directory: one's own choices, the directory, and a person's card (signed-in people only)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import login_required
from elearn.alumni import directory, services
from elearn.alumni.forms import SearchForm, SettingsForm
from elearn.errors import UserError
from elearn.extensions import db
from elearn.forms import options, show_error
from elearn.i18n import by_name
from elearn.params import int_arg

bp = Blueprint("alumni", __name__)


def _me():
    return current_user._get_current_object()


def _topic_options(topics, locale: str):
    return [(t.id, t.name(locale)) for t in by_name(topics, locale)]


def _settings_form(entry, topics) -> SettingsForm:
    if request.method == "POST" or entry is None:
        form = SettingsForm()
    else:
        form = SettingsForm(obj=entry, data={"topic_ids": [t.id for t in entry.topics]})
    form.topic_ids.choices = options(_topic_options(topics, str(get_locale())))
    return form


def _input(form: SettingsForm) -> services.EntryInput:
    return services.EntryInput(
        listed=form.listed.data, show_parliament=form.show_parliament.data, show_position=form.show_position.data,
        show_topics=form.show_topics.data, show_activities=form.show_activities.data, show_bio=form.show_bio.data,
        show_email=form.show_email.data, bio=form.bio.data or "", topic_ids=tuple(form.topic_ids.data or ()))


@bp.route("/alumni/me", methods=["GET", "POST"])
@login_required
def settings():
    me = _me()
    if not services.is_alumnus(me):
        return render_template("alumni/not_alumnus.html")
    entry = services.entry_of(me)
    form = _settings_form(entry, directory.filter_choices()["topics"])
    if form.validate_on_submit():
        try:
            entry = services.save_entry(me, _input(form))
        except UserError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("Your choices are saved: the directory lists you.") if entry.listed
                  else _("Your choices are saved: the directory does not list you."), "success")
            return redirect(url_for("alumni.settings"))
    return render_template("alumni/settings.html", form=form, entry=entry,
                           activities=services.activities_of([me.id])[me.id])


def _search_form(choices: dict) -> tuple[SearchForm, directory.Filters | None]:
    locale = str(get_locale())
    form = SearchForm(request.args)
    anything = [("", _("Any"))]
    form.parliament.choices = options(anything + [(p.id, p.name(locale))
                                                  for p in by_name(choices["parliaments"], locale)])
    form.topic.choices = options(anything + _topic_options(choices["topics"], locale))
    form.activity.choices = options(anything + [(a.id, a.title) for a in choices["activities"]])
    if request.args.keys() - {"page"} and not form.validate():
        return form, None
    return form, directory.Filters(words=form.q.data or "", parliament_id=form.parliament.data,
                                   topic_id=form.topic.data, activity_id=form.activity.data)


@bp.get("/alumni")
@login_required
def listing():
    form, filters = _search_form(directory.filter_choices())
    page = None
    if filters is not None:
        page = directory.search(filters, page=int_arg("page", 1), per_page=current_app.config["PAGE_SIZE"])
    args = {k: v for k, v in request.args.items() if k != "page"}
    me = _me()
    return render_template("alumni/listing.html", form=form, page=page, args=args, filtered=bool(args),
                           own_entry=services.entry_of(me), may_join=services.is_alumnus(me))


@bp.get("/alumni/<int:entry_id>")
@login_required
def card(entry_id: int):
    entry = services.card_for(entry_id, _me())
    if entry is None:
        abort(404)
    return render_template("alumni/card.html", card=directory.card(entry), own=entry.person_id == _me().id)
