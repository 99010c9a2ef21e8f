"""Response headers every page carries, and responses that never carry a cookie."""
from __future__ import annotations

from flask import abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response):
    if request.endpoint != "static" and response.mimetype == "text/html" and current_user.is_authenticated:
        # Pages seen signed in carry personal data: no shared or back-button copies.
        response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def refuse_nul_bytes():
    """A NUL byte in the path or the query is a 400: no address of ours has one, and PostgreSQL refuses it in text."""
    if "\x00" in request.path or any("\x00" in name + value for name, value in request.args.items(multi=True)):
        abort(400)


def sessionless(view):
    """Mark a view whose responses never set a cookie, whoever asks.

    Calendar feeds are fetched by calendar apps and kept by shared caches
    (`public, max-age=900`): a session cookie there would be stored and replayed
    to strangers. The mark is on the view, so its 304s and 404s are covered too.
    """
    view.sessionless = True
    return view


def is_sessionless_request() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "sessionless", False)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, never saved for a sessionless view.

    Whatever touched the session during such a request (the once-a-minute
    refresh of a signed-in browser's session, Flask-Login restoring a
    remember-me one), the browser keeps the cookie it has.
    """

    def save_session(self, app, session, response) -> None:
        if is_sessionless_request():
            return
        super().save_session(app, session, response)


def register(app) -> None:
    app.session_interface = SessionInterface()
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)
