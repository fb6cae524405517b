"""``flask sync import FILE --user USERNAME``: take in a queue file saved on a tablet."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from .queue_file import QueueFileError, collector, line, take_in

sync = AppGroup("sync", help="Offline sync: take in queue files saved on tablets.")


@sync.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", required=True, help="The interviewer whose tablet it was.")
def import_file(file: Path, username: str) -> None:
    """Store the records of FILE as USERNAME's; prints one line per record.

    Running it again is safe: records already stored are reported as duplicate.
    Exits 1 when any record was not stored.
    """
    try:
        results = take_in(file.read_bytes(), collector(username))
    except QueueFileError as error:
        raise click.ClickException(str(error)) from None
    for result in results:
        click.echo(line(result))
    kept = sum(result.kept for result in results)
    click.echo(f"{kept} of {len(results)} records are stored.", err=True)
    if kept != len(results):
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(sync)
