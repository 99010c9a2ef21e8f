"""Error pages in the site's layout and the viewer's language.

A database that cannot answer (PostgreSQL down or restarting, a connection the
server killed, the pool exhausted, SQLite locked longer than its busy timeout)
gives a 503 page asking to come back later, never a 500: nothing was saved,
and the request can simply be sent again.
"""
import sqlite3

from flask import current_app, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc

from elearn.audit.models import AuditAction
from elearn.audit.services import record_refusal
from elearn.errors import ERROR_RESPONDERS
from elearn.extensions import db, login_manager

ERROR_CODES = (400, 403, 404, 405, 413, 429, 500, 503)


def database_unavailable(error: BaseException) -> bool:
    """Whether this error means "the database is unavailable" rather than a bug in a query."""
    if isinstance(error, sa_exc.OperationalError) and isinstance(error.orig, sqlite3.Error):
        # SQLite also calls a missing table (a skipped migration) operational: that is a bug to see, not an outage.
        message = str(error.orig).lower()
        return any(sign in message for sign in ("locked", "busy", "unable to open", "disk i/o"))
    if isinstance(error, (sa_exc.OperationalError, sa_exc.TimeoutError, sa_exc.DisconnectionError)):
        return True
    # psycopg reports some dead connections as InterfaceError ("the connection is closed").
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


def discard_session() -> None:
    """Roll the request's session back; if its connection is dead, throw the connection away.

    A ROLLBACK sent on a connection the server has killed raises in turn: the
    connection is then invalidated (closed, never returned to the pool) rather
    than let that second error turn a clean error page into a 500.
    """
    try:
        db.session.rollback()
    except sa_exc.DBAPIError:
        db.session().invalidate()  # the Session itself: scoped_session does not offer it


def close_session(_exception=None) -> None:
    """End of every request and app context: close the session without ever raising."""
    try:
        db.session.remove()
    except sa_exc.DBAPIError:
        db.session().invalidate()  # the Session itself: scoped_session does not offer it
        db.session.remove()


def _special_response(error: BaseException, code: int):
    """A higher feature's own answer for its addresses (the JSON API's problem documents), or None."""
    for respond in current_app.extensions.get(ERROR_RESPONDERS, ()):
        response = respond(error, code)
        if response is not None:
            return response
    return None


def register(app) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        try:
            if isinstance(error, CSRFError):
                record_refusal(AuditAction.CSRF_REFUSED)
            elif code == 403:
                record_refusal(AuditAction.ACCESS_REFUSED)
            elif code >= 500:
                # Whatever half-done work caused this must not be committed later.
                discard_session()
            special = _special_response(error, code)
            if special is not None:
                return special
            return render_template("errors/error.html", code=code, csrf_error=isinstance(error, CSRFError)), code
        except sa_exc.SQLAlchemyError as database_error:
            # The database failed while this page was made (the signed-in person, expired
            # by a rollback, is reloaded to draw the menu): the database's 503 instead.
            if not database_unavailable(database_error):
                raise
            return render_unavailable(database_error)

    def render_unavailable(error):
        if not database_unavailable(error):
            app.logger.error("database error", exc_info=error)
            discard_session()
            return _special_response(error, 500) or (render_template("errors/error.html", code=500), 500)
        app.logger.warning("database unavailable, answered 503: %s", str(error).splitlines()[0])
        discard_session()
        # The page must not reach for the database again: the signed-in person
        # may not be loaded yet, and a loaded one was expired by the rollback.
        # Render it as for a visitor.
        g._login_user = login_manager.anonymous_user()
        response = _special_response(error, 503) or app.make_response(
            (render_template("errors/error.html", code=503), 503))
        response.headers["Retry-After"] = str(app.config["RETRY_AFTER_SECONDS"])
        response.headers["Cache-Control"] = "no-store"
        return response

    for code in ERROR_CODES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, render_error)
    for error_class in (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                        sa_exc.DisconnectionError):
        app.register_error_handler(error_class, render_unavailable)
    # Runs before Flask-SQLAlchemy's own teardown (registered earlier, so called later),
    # which then finds nothing left to close.
    app.teardown_appcontext(close_session)
