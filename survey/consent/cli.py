"""``flask consent erase``: finish wiping withdrawn participants' rows from the database files."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .erasure import erase_deleted

consent = AppGroup("consent", help="Consent and withdrawals.")


@consent.command("erase")
def erase_command() -> None:
    """Wipe deleted rows from the database files (after a withdrawal that could not finish)."""
    if not erase_deleted():
        raise click.ClickException("A reader kept its transaction open; nothing is wiped yet. "
                                   "Try again when the server is quieter.")
    click.echo("Deleted rows are wiped from the database files.")


def init_app(app: Flask) -> None:
    app.cli.add_command(consent)
