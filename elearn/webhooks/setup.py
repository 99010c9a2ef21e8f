"""Joins webhooks to the app: the page, the receivers of scheduling's signals, the sender and its command."""
from __future__ import annotations


def install(app) -> None:
    from elearn.webhooks import receivers, sending, views
    from elearn.webhooks.cli import webhooks_cli

    app.register_blueprint(views.bp)
    receivers.connect()
    app.cli.add_command(webhooks_cli)
    # `flask mail send` calls these each turn, so one worker delivers mail and webhooks (mail imports nothing here).
    app.extensions.setdefault("outbox_senders", []).append(sending.send_due)
