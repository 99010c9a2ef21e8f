"""`flask setup`, `flask users …` and `flask parliaments …` commands."""
import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from elearn.access import Role
from elearn.people import services
from elearn.people.models import PersonKind
from elearn.people.parliaments import seed_parliaments
from elearn.people.reference_data import seed_reference_data
from elearn.terminal import say

users_cli = AppGroup("users", help="Manage accounts.")
parliaments_cli = AppGroup("parliaments", help="Reference data on parliaments.")


@click.command("setup")
def setup_command():
    """Load the topics and parliaments a site needs.

    Run it after `flask db upgrade`, on a new installation and after updates:
    it adds only what is missing.
    """
    added = seed_reference_data()
    say(_l("reference data ready: %(topics)d topics and %(parliaments)d parliaments added", topics=added.topics,
           parliaments=added.parliaments))


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.password_option(help="Prompted for when not given.")
def create_admin(email: str, name: str, password: str):
    """Create an administrator account that can sign in at once."""
    try:
        services.create_person(
            services.PersonData(email=email, full_name=name, kind=PersonKind.OFFICER, role=Role.ADMIN),
            password=password)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    say(_l("administrator %(email)s created", email=services.normalise_email(email)))


@parliaments_cli.command("seed")
def seed():
    """Add the reference list of assisting and partner parliaments (idempotent)."""
    added = seed_parliaments()
    say(_l("parliaments added: %(count)d", count=added))
