"""``flask setup``: make a fresh checkout ready to serve, keeping existing data."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from .accounts.models import Role
from .accounts.passwords import generate_password
from .accounts.users import count_users, create_user
from .organisations.manage import assign_unassigned_forms, create_organisation, first_organisation


@click.command("setup")
@with_appcontext
@click.option("--admin", default="admin", show_default=True, help="Name of the first admin.")
@click.pass_context
def setup(ctx: click.Context, admin: str) -> None:
    """Apply migrations, load the forms, and create the first admin if there is none."""
    from .forms.cli import load

    upgrade()
    try:
        ctx.invoke(load)
    except SystemExit:
        click.echo("Some forms have errors (above); the others are loaded.", err=True)
    organisation = first_organisation() or create_organisation("ORG", "Our organisation")
    for form_id in assign_unassigned_forms(organisation):
        click.echo(f"'{form_id}' is run by {organisation.code}")
    if count_users() == 0:
        password = generate_password()
        create_user(admin, password, Role.ADMIN, organisation_id=organisation.id, one_time=True)
        click.echo()
        click.echo(f"  Admin account created. Log in as '{admin}' with this one-time password:")
        click.echo(f"      {password}")
        click.echo("  It is shown only once, and must be changed at the first login.")
        click.echo("  Create other accounts with 'flask users create'.")
        click.echo()


def init_app(app: Flask) -> None:
    app.cli.add_command(setup)
