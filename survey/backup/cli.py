"""``flask backup FILE`` and ``flask restore FILE``: the passphrase comes as for ``flask unlock``
(terminal, ``--passphrase-fd``, the unattended host's passphrase file) or the recovery key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..vault.cli import open_vault, read_passphrase
from ..vault.errors import VaultError
from . import contents


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--passphrase-fd", type=int, default=None, help="Read the passphrase from this descriptor.")
@click.option("--recovery", is_flag=True, help="Use the printed recovery key instead.")
@with_appcontext
def backup(file: Path, passphrase_fd: int | None, recovery: bool) -> None:
    """Write one encrypted file with the database, the forms and the vault."""
    if file.exists():
        raise click.ClickException(f"{file} exists already: give a new file name.")
    vault = open_vault(passphrase_fd, recovery)
    temporary = file.with_name(f".{file.name}.{secrets.token_hex(8)}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            summary = contents.write_backup(current_app, vault, out)
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, file)
    except (OSError, VaultError) as exc:
        raise click.ClickException(f"no backup written: {exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
    click.echo(f"Backed up the {summary.database} database ({summary.tables} table(s)) and "
               f"{summary.forms} form file(s) to {file}. The passphrase or the recovery key opens it.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--passphrase-fd", type=int, default=None, help="Read the passphrase from this descriptor.")
@click.option("--recovery", is_flag=True, help="Use the printed recovery key instead.")
@click.option("--replace", is_flag=True, help="Replace the data, forms and vault that are here.")
@with_appcontext
def restore(file: Path, passphrase_fd: int | None, recovery: bool, replace: bool) -> None:
    """Bring a backup back into this instance folder and database, then 'flask unlock'."""
    try:
        if recovery:
            dek = contents.open_dek(file, None, click.prompt("Recovery key"))
        else:
            dek = contents.open_dek(file, read_passphrase(passphrase_fd), None)
        summary = contents.restore(current_app, file, dek, replace)
    except (OSError, VaultError) as exc:
        raise click.ClickException(f"nothing restored: {exc}") from None
    click.echo(f"Restored the {summary.database} database and {summary.forms} form file(s). "
               "Start the server and unlock it with the backup's passphrase.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup)
    app.cli.add_command(restore)
