from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from ..organisations.manage import by_code
from ..audit.log import record
from .models import Role, User
from .passwords import generate_password
from .users import AccountError, by_username, create_user, reset_password, set_active, set_role

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
        user = create_user(username, password, Role(role), one_time=one_time,
                           organisation_id=organisation.id if organisation else None)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    record("user_created", "user", user.id, organisation_id=user.organisation_id)
    note = " (one-time: it must be changed at the first login)" if one_time else ""
    click.echo(f"Created {role} '{username}' with password: {password}{note}")


def _user(username: str) -> User:
    user = by_username(username)
    if user is None:
        raise click.ClickException(f"there is no user named '{username}'")
    return user


@users.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Stop an account from logging in; her open sessions end."""
    _set_active(username, False)


@users.command("enable")
@click.argument("username")
def enable(username: str) -> None:
    """Let a disabled account log in again."""
    _set_active(username, True)


def _set_active(username: str, active: bool) -> None:
    user = _user(username)
    set_active(user, active)
    action = "enabled" if active else "disabled"
    record(f"user_{action}", "user", user.id, organisation_id=user.organisation_id)
    click.echo(f"{action.capitalize()} '{user.username}'")


@users.command("reset")
@click.argument("username")
def reset(username: str) -> None:
    """Give an account a new one-time password."""
    user = _user(username)
    password = generate_password()
    reset_password(user, password)
    record("password_reset", "user", user.id, organisation_id=user.organisation_id)
    click.echo(f"New one-time password for '{user.username}': {password}")


@users.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def role(username: str, role: str) -> None:
    """Change an account's role."""
    user = _user(username)
    try:
        set_role(user, Role(role))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    record("role_change", "user", user.id, organisation_id=user.organisation_id)
    click.echo(f"'{user.username}' is now {role}")


def init_app(app: Flask) -> None:
    app.cli.add_command(users)
