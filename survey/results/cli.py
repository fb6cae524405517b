"""``flask results recount``: rebuild the answer counts that results are read from."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..db import db
from ..jobs.queue import queue_recount
from .counts import digest, recount

results = AppGroup("results", help="The counts behind the results pages and workbooks.")


@results.command("recount")
@click.option("--background", is_flag=True,
              help="Queue it as a job (see 'flask jobs worker') and print the job's id.")
def recount_command(background: bool) -> None:
    """Count every stored answer again, and say whether the kept counts were right."""
    if background:
        if not current_app.config["JOBS_REDIS_URL"]:
            raise click.ClickException("--background needs JOBS_REDIS_URL (a queue for "
                                       "'flask jobs worker'); without it, run the recount here")
        click.echo(f"Queued the recount as job {queue_recount()}.")
        return
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
