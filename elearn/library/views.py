"""Library pages: the list and search for everyone (by access), a resource, its file, and the staff's form.

A resource a person may not read is a 404 like a missing one: its existence is not told.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.access import Role, public, roles_required
from elearn.documents.sending import stored_file
from elearn.documents.services import Upload
from elearn.extensions import db
from elearn.forms import SimpleActionForm, options
from elearn.i18n import by_name
from elearn.languages import CONTENT_LANGUAGES, WORKING_LANGUAGES
from elearn.library import services
from elearn.library.forms import ResourceForm
from elearn.library.models import LibraryResource, ResourceAccess, ResourceKind
from elearn.library.search import Filters, search, visible_to
from elearn.mentoring import rules
from elearn.mentoring.models import MentoringPair, PairStatus
from elearn.params import int_arg
from elearn.people.models import Parliament
from elearn.scheduling.models import Activity, Programme
from elearn.topics import Topic

bp = Blueprint("library", __name__)


def _me():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _readable_or_404(resource_id: int) -> LibraryResource:
    resource = db.session.scalar(select(LibraryResource).where(LibraryResource.id == resource_id,
                                                               visible_to(_me())))
    if resource is None:
        abort(404)
    return resource


def _filters() -> Filters:
    kind = request.args.get("kind", "")
    language = request.args.get("language", "")
    return Filters(words=request.args.get("q", "")[:200], topic_id=int_arg("topic", 0) or None,
                   language=language if language in WORKING_LANGUAGES else None,
                   kind=ResourceKind(kind) if kind in ResourceKind.labels() else None,
                   activity_id=int_arg("activity", 0) or None, programme_id=int_arg("programme", 0) or None)


@bp.get("/library")
@public
def index():
    filters = _filters()
    page = db.paginate(search(_me(), filters), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("library/index.html", page=page, filters=filters, args=args,
                           kinds=ResourceKind.labels(), languages=CONTENT_LANGUAGES,
                           topics=by_name(db.session.scalars(select(Topic)).all()),
                           may_add=_me() is not None and current_user.role in (Role.TRAINER, Role.ADMIN))


@bp.get("/library/<int:resource_id>")
@public
def resource(resource_id: int):
    item = _readable_or_404(resource_id)
    me = _me()
    may_edit = me is not None and (item.access != ResourceAccess.PAIR or rules.is_pair_trainer(me, item.pair)) \
        and me.role in (Role.TRAINER, Role.ADMIN)
    return render_template("library/resource.html", resource=item, may_edit=may_edit,
                           action_form=SimpleActionForm())


@bp.get("/library/<int:resource_id>/open")
@public
def download(resource_id: int):
    """The file or the web address, each opening counted."""
    item = _readable_or_404(resource_id)
    if item.external_url:
        services.count_download(item)
        return redirect(item.external_url)
    if not item.storage_key:
        abort(404)
    response = stored_file(item.storage_key, item.original_name, item.content_type,
                           described_as=f"library resource {item.id}")
    services.count_download(item)  # counted once the file is there to send
    return response


def _set_choices(form: ResourceForm, chosen: LibraryResource | None) -> None:
    me, locale = _me(), str(get_locale())
    none = [("", _("None"))]
    form.language.choices = options(WORKING_LANGUAGES.items())
    form.topic_id.choices = options(none + [(str(t.id), t.name(locale)) for t in by_name(db.session.scalars(select(Topic)))])
    form.parliament_id.choices = options(none + [(str(p.id), p.name(locale)) for p in by_name(
        db.session.scalars(select(Parliament)))])
    # Only the pairs whose log the person reads as their trainer: a pair's resource is opened by its two people
    # and its own trainer, so anyone else (an administrator included) would add what they could not open.
    pairs = db.session.scalars(select(MentoringPair).where(
        MentoringPair.trainer_id == me.id, MentoringPair.mentor_id.is_not(None),
        MentoringPair.status.in_((PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.ENDED)))
        .options(selectinload(MentoringPair.mentor), selectinload(MentoringPair.mentee))
        .order_by(MentoringPair.id.desc())).all()
    form.pair_id.choices = options(none + [(str(p.id), f"{p.mentor.full_name} – {p.mentee.full_name}")
                                           for p in pairs])
    form.programme_id.choices = options(none + [(str(p.id), p.title) for p in db.session.scalars(
        select(Programme).order_by(Programme.title))])
    activities = db.session.scalars(select(Activity).order_by(Activity.id.desc()).limit(200)).all()
    wanted = request.args.get("activity", type=int) or (chosen.activity_id if chosen else None)
    if wanted and wanted not in {a.id for a in activities} and (extra := db.session.get(Activity, wanted)):
        activities.insert(0, extra)
    form.activity_id.choices = options(none + [(str(a.id), a.title) for a in activities])


def _input(form: ResourceForm) -> services.ResourceInput:
    return services.ResourceInput(
        title=form.title.data, summary=form.summary.data or "", body=form.body.data or "",
        keywords=tuple((form.keywords.data or "").split(",")), kind=ResourceKind(form.kind.data),
        language=form.language.data, topic_id=form.topic_id.data, access=ResourceAccess(form.access.data),
        parliament_id=form.parliament_id.data, pair_id=form.pair_id.data, activity_id=form.activity_id.data,
        programme_id=form.programme_id.data, external_url=form.external_url.data or "")


def _save(form: ResourceForm, item: LibraryResource | None):
    if not form.validate_on_submit():
        return None
    upload = form.file.data
    upload = Upload(title="", filename=upload.filename or "", stream=upload.stream) if upload else None
    if form.pair_id.data is not None and form.access.data == ResourceAccess.PAIR.value:
        pair = db.session.get(MentoringPair, form.pair_id.data)
        if pair is None or pair.mentor_id is None or not rules.is_pair_trainer(_me(), pair):
            form.pair_id.errors.append(_("Choose one of the pairs you are the trainer of."))
            return None
    try:
        return services.save_resource(item, _input(form), upload, _me())
    except services.LibraryError as refusal:
        getattr(form, refusal.field or "title").errors.append(str(refusal))
        return None


def _editable_or_404(resource_id: int) -> LibraryResource:
    item = _readable_or_404(resource_id)
    if item.access == ResourceAccess.PAIR and not rules.is_pair_trainer(_me(), item.pair):
        abort(403)
    return item


@bp.route("/manage/library/new", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def new():
    form = ResourceForm()
    if request.method == "GET":
        form.activity_id.data = request.args.get("activity", type=int)
        form.programme_id.data = request.args.get("programme", type=int)
        form.language.data = "en"
    _set_choices(form, None)
    if (item := _save(form, None)) is not None:
        flash(_("The resource is added to the library."), "success")
        return redirect(url_for("library.resource", resource_id=item.id))
    return render_template("library/form.html", form=form, resource=None)


@bp.route("/manage/library/<int:resource_id>/edit", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def edit(resource_id: int):
    item = _editable_or_404(resource_id)
    form = ResourceForm(obj=item)
    if request.method == "GET":
        form.kind.data, form.access.data = item.kind.value, item.access.value
        form.keywords.data = ", ".join(item.keywords or [])
    _set_choices(form, item)
    if _save(form, item) is not None:
        flash(_("The resource is saved."), "success")
        return redirect(url_for("library.resource", resource_id=item.id))
    return render_template("library/form.html", form=form, resource=item)


@bp.post("/manage/library/<int:resource_id>/delete")
@roles_required(Role.TRAINER)
def delete(resource_id: int):
    item = _editable_or_404(resource_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    services.delete_resource(item)
    flash(_("The resource is deleted."), "success")
    return redirect(url_for("library.index"))
