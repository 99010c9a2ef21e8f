"""Joins on-site work to the app: the receivers of scheduling's signals, the check-in pages and their panels."""
from __future__ import annotations


def install(app) -> None:
    from elearn.errors import add_error_responder
    from elearn.onsite import checkin_views, client, panels, receivers

    receivers.connect()
    from elearn.onsite import badge_views, ticket_mail, ticket_panels, ticket_views

    app.register_blueprint(ticket_views.bp)  # the printable ticket, the trainers' tickets page, reissuing
    app.register_blueprint(badge_views.bp)  # name badges as a PDF
    ticket_panels.install(app)  # the ticket on the activity page; tickets and badges on its management page
    ticket_mail.install(app)  # the ticket in the confirmation mail
    app.register_blueprint(checkin_views.bp)
    add_error_responder(app, checkin_views.scans_problem)
    panels.install()
    app.add_template_global(client.strings, "check_in_strings")
