"""`flask jobs run`: do the queued background jobs, once or in a loop (one or more workers, on any host)."""
import os
import socket
import time

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from elearn.jobs.services import run_due
from elearn.terminal import say

jobs_cli = AppGroup("jobs", help="Run background jobs (mail fan-out and others).")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@jobs_cli.command("run")
@click.option("--loop", is_flag=True, help="Keep running, checking for jobs every few seconds.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between checks with --loop.")
def run_command(loop: bool, interval: float):
    """Run every due job; a failed batch is retried later with backoff."""
    while True:
        report = run_due(worker_id=worker_id())
        if report.done or report.failed or report.retried or not loop:
            say(_l("jobs done %(done)d, batches %(batches)d, to retry %(retried)d, failed %(failed)d",
                   done=report.done, batches=report.batches, retried=report.retried, failed=report.failed))
        if not loop:
            return
        time.sleep(interval)
