"""Error pages in the site's layout and the viewer's language."""
from flask import render_template
from flask_wtf.csrf import CSRFError

from elearn.audit.models import AuditAction
from elearn.audit.services import record_refusal
from elearn.extensions import db

ERROR_CODES = (400, 403, 404, 405, 413, 429, 500)


def register(app) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        if isinstance(error, CSRFError):
            record_refusal(AuditAction.CSRF_REFUSED)
        elif code == 403:
            record_refusal(AuditAction.ACCESS_REFUSED)
        elif code >= 500:
            # Whatever half-done work caused this must not be committed later.
            db.session.rollback()
        return render_template("errors/error.html", code=code, csrf_error=isinstance(error, CSRFError)), code

    for code in ERROR_CODES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, render_error)
