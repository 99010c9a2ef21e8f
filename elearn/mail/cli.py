"""`flask mail send`: run due background jobs (they queue mail), then deliver the outbox; once or in a loop."""
import os
import socket
import time

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from elearn.jobs.services import run_due
from elearn.mail.services import send_due
from elearn.terminal import say

mail_cli = AppGroup("mail", help="Deliver queued mail.")

JOB_TURN_SECONDS = 10


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running, checking the outbox every few seconds.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between checks with --loop.")
@click.option("--jobs/--no-jobs", default=True, show_default=True,
              help="Also run due background jobs (e.g. the mails of an activity's change) before sending.")
def send_command(loop: bool, interval: float, jobs: bool):
    """Send every message that is due; failures are retried later with backoff."""
    sender_id = f"{socket.gethostname()}:{os.getpid()}"
    while True:
        busy = False
        if jobs:
            # A big job is given back after JOB_TURN_SECONDS (and continued next turn, here or
            # elsewhere), so that a password reset never waits behind thousands of change notices.
            job_report = run_due(worker_id=sender_id, budget_seconds=JOB_TURN_SECONDS if loop else None)
            busy = bool(job_report.batches)
            if job_report.done or job_report.failed or job_report.retried:
                say(_l("jobs done %(done)d, to retry %(retried)d, failed %(failed)d", done=job_report.done,
                        retried=job_report.retried, failed=job_report.failed))
        report = send_due(sender_id=sender_id)
        if report.sent or report.retried or report.failed or not loop:
            say(_l("sent %(sent)d, to retry %(retried)d, failed %(failed)d", sent=report.sent, retried=report.retried,
                   failed=report.failed))
        # Other outboxes of features above mail (webhooks) register a sender here: one worker runs them all.
        for send_other in current_app.extensions.get("outbox_senders", ()):
            other = send_other(sender_id=sender_id)
            busy = busy or bool(other.sent or other.retried or other.failed)
        if not loop:
            return
        if not (busy or report.sent or report.retried or report.failed):
            time.sleep(interval)  # nothing was due: wait; after work, look again at once
