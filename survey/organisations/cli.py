from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .manage import OrganisationError, assign_form, create_organisation, list_organisations

orgs = AppGroup("orgs", help="Manage organisations and the surveys they run.")


@orgs.command("create")
@click.argument("code")
@click.argument("label")
def create(code: str, label: str) -> None:
    """Add an organisation, e.g. `flask orgs create EMP "Empower Chiang Mai"`."""
    try:
        organisation = create_organisation(code, label)
    except OrganisationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created organisation {organisation.code}: {organisation.label}")


@orgs.command("list")
def list_() -> None:
    """Each organisation with its surveys."""
    for organisation, forms in list_organisations():
        click.echo(f"{organisation.code}\t{organisation.label}\t{', '.join(forms) or '-'}")


@orgs.command("assign")
@click.argument("code")
@click.argument("form_id")
def assign(code: str, form_id: str) -> None:
    """Let an organisation run a survey."""
    try:
        assign_form(code, form_id)
    except OrganisationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{code} now runs '{form_id}'")


def init_app(app: Flask) -> None:
    app.cli.add_command(orgs)
