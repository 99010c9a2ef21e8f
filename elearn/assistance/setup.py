"""How the assistance feature joins the app: its tables, blueprints and hooks (called by elearn.create_app)."""
from __future__ import annotations

from flask import Flask, request

# Room for the text, the CSRF token and the multipart framing around the largest attachments accepted.
FORM_OVERHEAD = 256 * 1024
UPLOAD_ENDPOINTS = frozenset({"assistance.ask", "assistance.reply"})


def allow_attachments(app: Flask) -> None:
    from elearn.assistance.attachments import MAX_FILES, max_bytes

    def raise_the_limit():
        # MAX_CONTENT_LENGTH guards every other form; asking and replying take up to MAX_FILES attachments.
        if request.method == "POST" and request.endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = MAX_FILES * max_bytes() + FORM_OVERHEAD

    # First of all: the CSRF check reads the form, and with it the body, in its own before_request.
    app.before_request_funcs.setdefault(None, []).insert(0, raise_the_limit)


def install(app: Flask) -> None:
    """Import the models (their tables join the metadata), register the blueprints, install the hooks."""
    from elearn.assistance import models, panels, staff_views  # noqa: F401  (tables; staff_views adds routes to bp)
    from elearn.assistance.views import bp

    app.register_blueprint(bp)
    panels.install(app)
    allow_attachments(app)
