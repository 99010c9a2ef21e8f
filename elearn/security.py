"""Response headers every page carries, and responses that never carry a cookie."""
from __future__ import annotations

from flask import abort, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user


def content_security_policy(*, wasm: bool = False) -> str:
    """The site's policy; `wasm` lets a page compile WebAssembly (still from its own files: no eval, no inline)."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'" if wasm else "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


CONTENT_SECURITY_POLICY = content_security_policy()
SCANNER_CONTENT_SECURITY_POLICY = content_security_policy(wasm=True)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"
CAMERA_PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=()"


def camera_and_wasm(view):
    """Mark a view whose page reads QR codes with the camera, through a WebAssembly decoder where the browser
    has none: that page alone gets `camera=(self)` and `'wasm-unsafe-eval'`."""
    view.camera_and_wasm = True
    return view


# What exports are sent as (besides any attachment): they carry people's names, sides, progress.
EXPORT_MIMETYPES = frozenset({
    "text/csv", "application/pdf", "application/json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
})


def is_export(response) -> bool:
    return (response.headers.get("Content-Disposition", "").lower().startswith("attachment")
            or response.mimetype in EXPORT_MIMETYPES)


def _view_says(mark: str) -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, mark, False)


def keeps_cache_control(view):
    """Mark a view whose responses hold no personal data and set their own caching (course images).

    Every other response of a signed-in person, and every export, is `no-store`.
    """
    view.keeps_cache_control = True
    return view


def set_cache_control(response) -> None:
    """`no-store` on whatever may carry personal data: every response to a signed-in person, every export.

    Static files, calendar feeds (sessionless views: public feeds are shared-cacheable, a personal
    feed is `private` for the calendar app that polls it) and views that keep their own caching are
    left as they are.
    """
    if request.endpoint == "static" or _view_says("sessionless") or _view_says("keeps_cache_control"):
        return
    if is_export(response) or current_user.is_authenticated:
        # No shared, disk or back-button copies of pages seen signed in, nor of exports.
        response.headers["Cache-Control"] = "no-store"


def add_security_headers(response):
    set_cache_control(response)
    hsts = current_app.config.get("HSTS_HEADER")
    if hsts:
        response.headers.setdefault("Strict-Transport-Security", hsts)
    scanner = _view_says("camera_and_wasm")
    response.headers.setdefault("Content-Security-Policy",
                                SCANNER_CONTENT_SECURITY_POLICY if scanner else CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", CAMERA_PERMISSIONS_POLICY if scanner else PERMISSIONS_POLICY)
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


def uncompressed(view):
    """Mark a view whose page shows a secret (a new token, a two-step key, recovery codes, calendar addresses).

    Its responses are never compressed: BREACH guesses a secret from the compressed size of pages that
    also echo what an attacker sent (elearn/compression.py, docs/SECURITY.md).
    """
    view.uncompressed = True
    return view


def shows_secret() -> None:
    """This response shows a secret although its view is not marked `uncompressed` (a panel that adds one,
    such as a ticket's code on the activity page): it goes out uncompressed, as a marked view's do."""
    g.shows_secret = True


def is_uncompressed_view() -> bool:
    return _view_says("uncompressed") or g.get("shows_secret", False)


def is_sessionless_request() -> bool:
    return _view_says("sessionless")


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
