"""``flask results recount``: rebuild the answer counts that results are read from."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from ..db import db
from .counts import digest, recount

results = AppGroup("results", help="The counts behind the results pages and workbooks.")


@results.command("recount")
def recount_command() -> None:
    """Count every stored answer again, and say whether the kept counts were right."""
    connection = db.session.connection()
    before = digest(connection)
    counted = recount(connection)
    changed = digest(connection) != before
    db.session.commit()
    click.echo(f"Counted the answers of {counted} submissions: "
               + ("the counts were wrong and are now right." if changed
                  else "the counts were right."))


def init_app(app: Flask) -> None:
    app.cli.add_command(results)
