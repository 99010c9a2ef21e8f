"""`flask mail send`: deliver the outbox, once or in a loop."""
import os
import socket
import time

import click
from flask.cli import AppGroup

from elearn.mail.services import send_due

mail_cli = AppGroup("mail", help="Deliver queued mail.")


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running, checking the outbox every few seconds.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between checks with --loop.")
def send_command(loop: bool, interval: float):
    """Send every message that is due; failures are retried later with backoff."""
    sender_id = f"{socket.gethostname()}:{os.getpid()}"
    while True:
        report = send_due(sender_id=sender_id)
        if report.sent or report.retried or report.failed or not loop:
            click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")
        if not loop:
            return
        time.sleep(interval)
