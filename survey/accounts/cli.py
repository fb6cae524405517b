from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from ..organisations.manage import by_code
from .models import Role
from .passwords import generate_password
from .users import AccountError, create_user

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.INTERVIEWER.value,
              show_default=True)
@click.option("--org", "org_code", help="The organisation's code (needed for every role but admin).")
@click.option("--password", help="Set this password instead of generating a one-time one.")
def create(username: str, role: str, org_code: str | None, password: str | None) -> None:
    """Add an account and print its password."""
    one_time = password is None
    password = password or generate_password()
    organisation = by_code(org_code) if org_code else None
    if org_code and organisation is None:
        raise click.ClickException(f"there is no organisation with code {org_code}")
    try:
        create_user(username, password, Role(role), one_time=one_time,
                    organisation_id=organisation.id if organisation else None)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    note = " (one-time: it must be changed at the first login)" if one_time else ""
    click.echo(f"Created {role} '{username}' with password: {password}{note}")


def init_app(app: Flask) -> None:
    app.cli.add_command(users)
