"""`flask delegations purge-sensitive`: run daily from cron; a second run the same day purges nothing."""
import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from elearn.delegations.purge import purge_sensitive
from elearn.terminal import say

delegations_cli = AppGroup("delegations", help="Delegations and visits: travel, stay and their sensitive details.")


@delegations_cli.command("purge-sensitive")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Days after the activity ends (default: LOGISTICS_PURGE_DAYS).")
def purge_sensitive_command(days):
    """Empty passport details and dietary and accessibility needs of activities that ended long enough ago."""
    report = purge_sensitive(days)
    say(_l("sensitive logistics purged: %(purged)d (activities ended before %(moment)s UTC)",
           purged=report.purged, moment=f"{report.ended_before:%Y-%m-%d %H:%M}"))
