"""`flask notify due` and `flask notify digest`: run from cron; each mail is queued once however often they run."""
import click
from flask.cli import AppGroup

from elearn.notifications.digest import send_digests
from elearn.notifications.reminders import send_reminders

notify_cli = AppGroup("notify", help="Queue reminders and digests.")


@notify_cli.command("due")
def due_command():
    """Queue the reminders that are due (activities, and every kind a feature registered)."""
    report = send_reminders()
    click.echo(f"reminders queued {report.queued}, skipped {report.skipped}")


@notify_cli.command("digest")
def digest_command():
    """Queue this week's digest for each person who wants one (at most one per person per ISO week)."""
    report = send_digests()
    click.echo(f"digests queued {report.queued}, skipped {report.skipped}")
