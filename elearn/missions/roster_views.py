"""Pages of the expert roster: one's own profile, the trainers' search, and a profile seen by trainers."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Role, has_role, login_required, roles_required
from elearn.errors import UserError
from elearn.extensions import db
from elearn.forms import options, show_error
from elearn.i18n import by_name
from elearn.missions import roster, roster_search
from elearn.missions.models import LEVEL_RANK, ExpertProfile, LanguageLevel
from elearn.missions.roster_forms import SPARE_ROWS, ProfileForm, SearchForm
from elearn.params import int_arg
from elearn.people.models import Parliament, Person
from elearn.scheduling.display import country_names
from elearn.topics import Topic

bp = Blueprint("expert_roster", __name__)
trainers = roles_required(Role.TRAINER)


def _me():
    return current_user._get_current_object()


def _topic_options(locale: str):
    return options([(t.id, t.name(locale)) for t in by_name(db.session.scalars(select(Topic)).all(), locale)])


def _profile_form(profile: ExpertProfile | None) -> ProfileForm:
    locale = str(get_locale())
    if request.method == "POST":
        form = ProfileForm()
    elif profile is None:
        form = ProfileForm(data={"willing_to_travel": True, "active": True})
    else:
        form = ProfileForm(data={
            "summary": profile.summary, "keywords": ", ".join(profile.keywords or []),
            "topic_ids": [t.id for t in profile.topics], "willing_to_travel": profile.willing_to_travel,
            "travel_note": profile.travel_note, "active": profile.active,
            "languages": [{"language": row.language, "level": row.level.value} for row in profile.languages],
            "availability": [{"starts_on": a.starts_on, "ends_on": a.ends_on, "note": a.note}
                             for a in profile.availability]})
    for rows in (form.languages, form.availability):
        blank = sum(1 for entry in rows if entry.form.is_blank)
        while blank < SPARE_ROWS and len(rows) < rows.max_entries:
            rows.append_entry()
            blank += 1
    form.topic_ids.choices = _topic_options(locale)
    return form


def _input(form: ProfileForm) -> roster.ProfileInput:
    return roster.ProfileInput(
        summary=form.summary.data or "", keywords=form.keywords.data or "", topic_ids=tuple(form.topic_ids.data or ()),
        languages=tuple((e.form.language.data, LanguageLevel(e.form.level.data))
                        for e in form.languages if not e.form.is_blank),
        availability=tuple(roster.Period(e.form.starts_on.data, e.form.ends_on.data, e.form.note.data or "")
                           for e in form.availability if not e.form.is_blank),
        willing_to_travel=form.willing_to_travel.data, travel_note=form.travel_note.data or "",
        active=form.active.data)


def _saved(form: ProfileForm, person: Person) -> bool:
    if not form.validate_on_submit():
        return False
    try:
        roster.save_profile(person, _input(form), _me())
    except UserError as error:
        db.session.rollback()
        show_error(form, error)
        return False
    return True


def _experience(person: Person) -> dict:
    return {"missions": roster.past_missions([person.id])[person.id],
            "trained": roster.trained_activities([person.id])[person.id]}


@bp.route("/experts/me", methods=["GET", "POST"])
@login_required
def my_profile():
    me = _me()
    if not roster.may_have_profile(me):
        return render_template("missions/roster_not_eligible.html")
    profile = roster.profile_of(me)
    form = _profile_form(profile)
    if _saved(form, me):
        flash(_("Your expert profile is saved."), "success")
        return redirect(url_for("expert_roster.my_profile"))
    return render_template("missions/roster_my_profile.html", form=form, profile=profile, person=me,
                           **_experience(me))


def _search_form() -> tuple[SearchForm, roster_search.SearchFilters | None]:
    locale = str(get_locale())
    form = SearchForm(request.args)
    form.topic.choices = _topic_options(locale)
    parliaments = by_name(db.session.scalars(select(Parliament).where(Parliament.gives_assistance.is_(True))).all(),
                          locale)
    form.parliament.choices = options([("", _("Any"))] + [(p.id, p.name(locale)) for p in parliaments])
    names = country_names(locale)
    codes = sorted(set(db.session.scalars(select(Parliament.country_code)
                                          .where(Parliament.receives_assistance.is_(True)))))
    form.country.choices = options([("", _("Any"))] + sorted(((c, names.get(c, c)) for c in codes),
                                                             key=lambda item: item[1]))
    if request.args and not form.validate():
        return form, None
    return form, roster_search.SearchFilters(
        topic_ids=tuple(form.topic.data or ()), language=form.language.data or "",
        min_level=LanguageLevel(form.level.data) if form.level.data else None,
        available_from=form.available_from.data, available_to=form.available_to.data,
        parliament_id=form.parliament.data or None, country=form.country.data or "", text=form.q.data or "")


@bp.get("/manage/experts")
@trainers
def search():
    form, filters = _search_form()
    page = None
    if filters is not None:
        page = roster_search.search(filters, page=int_arg("page", 1), per_page=current_app.config["PAGE_SIZE"])
    args = {k: request.args.getlist(k) for k in request.args if k != "page"}
    return render_template("missions/roster_search.html", form=form, page=page, args=args, filters=filters,
                           level_rank=LEVEL_RANK)


@bp.route("/manage/experts/<int:profile_id>", methods=["GET", "POST"])
@trainers
def profile(profile_id: int):
    found = db.get_or_404(ExpertProfile, profile_id)
    editable = has_role(_me(), Role.ADMIN)
    if request.method == "POST" and not editable:
        abort(403)
    form = _profile_form(found) if editable else None
    if form is not None and _saved(form, found.person):
        flash(_("The expert profile is saved."), "success")
        return redirect(url_for("expert_roster.profile", profile_id=found.id))
    return render_template("missions/roster_profile.html", profile=found, person=found.person, form=form,
                           **_experience(found.person))
