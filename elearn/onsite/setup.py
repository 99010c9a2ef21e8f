"""Joins on-site work to the app: the receivers of scheduling's signals, the check-in pages and their panels."""
from __future__ import annotations


def install(app) -> None:
    from elearn.errors import add_error_responder
    from elearn.onsite import checkin_views, client, panels, receivers

    receivers.connect()
    app.register_blueprint(checkin_views.bp)
    add_error_responder(app, checkin_views.scans_problem)
    panels.install()
    app.add_template_global(client.strings, "check_in_strings")
