"""What documents adds to other features' pages (panels) and the request size its upload form allows."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from elearn import panels
from elearn.documents import services

UPLOAD_ENDPOINTS = frozenset({"documents.activity_documents", "documents.programme_documents"})
# Room for the title, the CSRF token and the multipart framing around the largest file accepted.
FORM_OVERHEAD = 64 * 1024


def _activity_panel(place: str, activity):
    if not services.may_upload_to_activity(current_user, activity):
        return None
    return render_template("documents/_panel.html", place=place, count=services.count_of(activity), may_add=True,
                           url=url_for("documents.activity_documents", activity_id=activity.id))


def _programme_panel(programme):
    if not services.may_manage_programme(current_user):
        return None
    return render_template("documents/_panel.html", place="programme", count=services.count_of(programme),
                           may_add=True, url=url_for("documents.programme_documents", programme_id=programme.id))


def _public_panel(activity):
    # Managers reach the documents from the management page; readers only when there is something to read.
    if services.may_upload_to_activity(current_user, activity) or not services.may_read_activity(current_user,
                                                                                                 activity):
        return None
    count = services.count_of(activity)
    if not count:
        return None
    return render_template("documents/_panel.html", place="activity_public", count=count, may_add=False,
                           url=url_for("documents.activity_documents", activity_id=activity.id))


def allow_document_uploads(app):
    def raise_the_limit():
        # MAX_CONTENT_LENGTH (4 MB) guards every other form; this one form takes documents up to
        # DOCUMENTS_MAX_BYTES. Larger bodies still get the 413 page, before anything is read.
        if request.method == "POST" and request.endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = int(app.config["DOCUMENTS_MAX_BYTES"]) + FORM_OVERHEAD

    # First of all: the CSRF check reads the form, and with it the body, in its own before_request.
    app.before_request_funcs.setdefault(None, []).insert(0, raise_the_limit)


def install(app) -> None:
    panels.register("activity_manage", "documents", lambda activity: _activity_panel("activity_manage", activity))
    panels.register("mission", "documents", lambda activity: _activity_panel("mission", activity))
    panels.register("programme", "documents", _programme_panel)
    panels.register("activity_public", "documents", _public_panel)
    allow_document_uploads(app)
