"""`flask notify due` and `flask notify digest`: run from cron; each mail is queued once however often they run."""
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from elearn.notifications.digest import send_digests
from elearn.notifications.reminders import send_reminders
from elearn.terminal import say

notify_cli = AppGroup("notify", help="Queue reminders and digests.")


@notify_cli.command("due")
def due_command():
    """Queue the reminders that are due (activities, and every kind a feature registered)."""
    report = send_reminders()
    say(_l("reminders queued %(queued)d, skipped %(skipped)d", queued=report.queued, skipped=report.skipped))


@notify_cli.command("digest")
def digest_command():
    """Queue this week's digest for each person who wants one (at most one per person per ISO week)."""
    report = send_digests()
    say(_l("digests queued %(queued)d, skipped %(skipped)d", queued=report.queued, skipped=report.skipped))
