"""Documents pages: an activity's (a mission's) and a programme's list with their upload form, the
download, the delete. Downloads are attachments only, never shown inline: the browser does not run them."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Role, login_required, roles_required
from elearn.documents import services
from elearn.documents.forms import UploadForm
from elearn.documents.models import Document
from elearn.documents.sending import stored_file
from elearn.extensions import db
from elearn.forms import SimpleActionForm
from elearn.scheduling.models import Activity, Programme

bp = Blueprint("documents", __name__)


def _upload(form: UploadForm, owner) -> bool:
    if not form.validate_on_submit():
        return False
    upload = services.Upload(title=form.title.data, filename=form.file.data.filename or "",
                             stream=form.file.data.stream)
    try:
        services.add_document(owner, upload, current_user._get_current_object())
    except services.DocumentRefused as refusal:
        form.file.errors.append(str(refusal))
        return False
    flash(_("The document is added."), "success")
    return True


@bp.route("/activities/<int:activity_id>/documents", methods=["GET", "POST"])
@login_required
def activity_documents(activity_id: int):
    activity = db.get_or_404(Activity, activity_id)
    if not services.may_read_activity(current_user, activity):
        abort(403)
    may_upload = services.may_upload_to_activity(current_user, activity)
    form = UploadForm()
    if request.method == "POST":
        if not may_upload:
            abort(403)
        if _upload(form, activity):
            return redirect(url_for("documents.activity_documents", activity_id=activity.id))
    return render_template("documents/list.html", owner_title=activity.title, documents=services.documents_of(activity),
                           form=form if may_upload else None, may_delete=may_upload, action_form=SimpleActionForm(),
                           back=(url_for("scheduling_admin.overview", activity_id=activity.id) if may_upload
                                 else url_for("scheduling.activity", activity_id=activity.id)))


@bp.route("/manage/programmes/<int:programme_id>/documents", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def programme_documents(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = UploadForm()
    if request.method == "POST" and _upload(form, programme):
        return redirect(url_for("documents.programme_documents", programme_id=programme.id))
    return render_template("documents/list.html", owner_title=programme.title,
                           documents=services.documents_of(programme), form=form, may_delete=True,
                           action_form=SimpleActionForm(),
                           back=url_for("scheduling_admin.edit_programme", programme_id=programme.id))


@bp.get("/documents/<int:document_id>")
@login_required
def download(document_id: int):
    document = db.session.get(Document, document_id)
    # Someone else's document is a 404 like a missing one: its existence is not told.
    if document is None or not services.may_read(current_user, document):
        abort(404)
    return stored_file(document.storage_key, document.original_name, document.content_type,
                       described_as=f"document {document.id}")


@bp.post("/documents/<int:document_id>/delete")
@roles_required(Role.TRAINER)
def delete(document_id: int):
    document = db.session.get(Document, document_id)
    if document is None or not services.may_read(current_user, document):
        abort(404)
    if not services.may_delete(current_user, document):
        abort(403)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    back = (url_for("documents.activity_documents", activity_id=document.activity_id) if document.activity_id
            else url_for("documents.programme_documents", programme_id=document.programme_id))
    services.delete_document(document, current_user._get_current_object())
    flash(_("The document is deleted."), "success")
    return redirect(back)
