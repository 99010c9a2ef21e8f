"""`flask webhooks send`: deliver the webhook outbox once or in a loop (`flask mail send` also does it)."""
import os
import socket
import time

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from elearn.terminal import say
from elearn.webhooks.sending import send_due

webhooks_cli = AppGroup("webhooks", help="Deliver webhooks.")


@webhooks_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running, checking the outbox every few seconds.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between checks with --loop.")
def send_command(loop: bool, interval: float):
    """Post every webhook that is due; failures are retried later with backoff."""
    sender_id = f"{socket.gethostname()}:{os.getpid()}"
    while True:
        report = send_due(sender_id=sender_id)
        if report.sent or report.retried or report.failed or not loop:
            say(_l("webhooks sent %(sent)d, to retry %(retried)d, failed %(failed)d", sent=report.sent,
                   retried=report.retried, failed=report.failed))
        if not loop:
            return
        if not (report.sent or report.retried or report.failed):
            time.sleep(interval)
