"""Joins on-site work to the app: the receivers of scheduling's signals (pages are added here as they come)."""
from __future__ import annotations


def install(app) -> None:
    from elearn.onsite import client, client_views, receivers

    receivers.connect()
    app.register_blueprint(client_views.bp)
    app.add_template_global(client.strings, "check_in_strings")
