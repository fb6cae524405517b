"""``flask setup``: make a fresh checkout ready to serve, keeping existing data: the vault
(its passphrase and recovery key printed once), migrations, forms, the first admin."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from .accounts.models import Role
from .accounts.passwords import generate_password
from .accounts.users import count_users, create_user
from .forms.cli import load
from .organisations.models import Organisation
from .organisations.manage import assign_unassigned_forms, create_organisation, first_organisation
from .vault.cli import open_vault
from .vault.envelope import new_passphrase
from .vault.state import Vault


@click.command("setup")
@with_appcontext
@click.option("--admin", default="admin", show_default=True, help="Name of the first admin.")
@click.option("--passphrase-fd", type=int, default=None,
              help="Read the vault's passphrase from this descriptor.")
@click.pass_context
def setup(ctx: click.Context, admin: str, passphrase_fd: int | None) -> None:
    """Make or open the vault, apply migrations, load the forms, and create the first admin."""


    vault: Vault = current_app.extensions["vault"]
    if vault.exists:
        open_vault(passphrase_fd)
    else:
        _create_vault(vault)
    upgrade()
    try:
        ctx.invoke(load)
    except SystemExit:
        click.echo("Some forms have errors (above); the others are loaded.", err=True)
    organisation = first_organisation() or create_organisation("ORG", "Our organisation")
    for form_id in assign_unassigned_forms(organisation):
        click.echo(f"'{form_id}' is run by {organisation.code}")
    create_first_admin(admin, organisation)


@click.command("first-admin")
@with_appcontext
@click.option("--admin", default="admin", show_default=True, help="Name of the first admin.")
def first_admin(admin: str) -> None:
    """The release step's: create the first admin when there is nobody, else do nothing."""
    create_first_admin(admin, first_organisation() or create_organisation("ORG", "Our organisation"))


def create_first_admin(admin: str, organisation: Organisation) -> None:
    """With no account yet, an admin with a one-time password printed this once."""
    if count_users() != 0:
        return
    password = generate_password()
    create_user(admin, password, Role.ADMIN, organisation_id=organisation.id, one_time=True)
    click.echo()
    click.echo(f"  Admin account created. Log in as '{admin}' with this one-time password:")
    click.echo(f"      {password}")
    click.echo("  It is shown only once, and must be changed at the first login.")
    click.echo("  Create other accounts with 'flask users create'.")
    click.echo()


def _create_vault(vault: Vault) -> None:
    passphrase = new_passphrase()
    recovery = vault.create(passphrase)
    click.echo()
    click.echo("  The data is encrypted. After every start, unlock the server with this passphrase:")
    click.echo(f"      {passphrase}")
    click.echo("  Keep this recovery key on paper, offline, away from the server:")
    click.echo(f"      {recovery}")
    click.echo("  Both are shown only once. Without either of them the data cannot be read by")
    click.echo("  anyone, us included: losing both means losing the data.")


def init_app(app: Flask) -> None:
    app.cli.add_command(setup)
    app.cli.add_command(first_admin)
