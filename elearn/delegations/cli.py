"""`flask delegations purge-sensitive`: run daily from cron; a second run the same day purges nothing."""
import click
from flask.cli import AppGroup

from elearn.delegations.purge import purge_sensitive

delegations_cli = AppGroup("delegations", help="Delegations and visits: travel, stay and their sensitive details.")


@delegations_cli.command("purge-sensitive")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Days after the activity ends (default: LOGISTICS_PURGE_DAYS).")
def purge_sensitive_command(days):
    """Empty passport details and dietary and accessibility needs of activities that ended long enough ago."""
    report = purge_sensitive(days)
    click.echo(f"sensitive logistics purged: {report.purged} (activities ended before "
               f"{report.ended_before:%Y-%m-%d %H:%M} UTC)")
