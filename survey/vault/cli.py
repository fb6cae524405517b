"""``flask unlock`` and ``flask lock`` for the running server's workers, and
``flask change-passphrase``; the passphrase comes from a terminal, a file descriptor
(``--passphrase-fd``) or the unattended host's passphrase file, or the recovery key is used."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..db import sqlite_file
from . import channel, clear_database
from .errors import VaultError
from .state import Vault


def read_passphrase(fd: int | None, prompt: str = "Passphrase") -> str:
    """From ``fd`` (one line), else the configured passphrase file, else the terminal."""
    if fd is not None:
        with os.fdopen(fd, "r", closefd=False) as source:
            return source.readline().rstrip("\r\n")
    configured = current_app.config.get("VAULT_PASSPHRASE_FILE")
    if configured:
        return Path(configured).read_text().rstrip("\r\n")
    return click.prompt(prompt, hide_input=True)


def open_vault(fd: int | None, recovery: bool = False) -> Vault:
    """This process's vault, opened (a clear message and exit 1 if it cannot be)."""
    vault: Vault = current_app.extensions["vault"]
    if vault.unlocked:
        return vault
    try:
        if recovery:
            vault.unlock_with_recovery(click.prompt("Recovery key"))
        else:
            vault.unlock(read_passphrase(fd))
    except (OSError, VaultError) as exc:
        raise click.ClickException(str(exc)) from None
    return vault


def refuse_clear_database() -> None:
    try:
        clear_database.refuse_clear(sqlite_file(current_app.config["SQLALCHEMY_DATABASE_URI"]))
    except VaultError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("unlock")
@click.option("--passphrase-fd", type=int, default=None, help="Read the passphrase from this descriptor.")
@click.option("--recovery", is_flag=True, help="Use the printed recovery key instead.")
@with_appcontext
def unlock(passphrase_fd: int | None, recovery: bool) -> None:
    """Unlock the running server's workers."""
    vault = open_vault(passphrase_fd, recovery)
    refuse_clear_database()
    reached = channel.broadcast(Path(current_app.config["VAULT_SOCKET_DIR"]), channel.UNLOCK + vault.dek)
    click.echo(f"Unlocked {reached} running worker(s)." if reached else
               "The passphrase is right, but no running server listens here.")


@click.command("lock")
@with_appcontext
def lock() -> None:
    """Lock the running server now: every worker forgets the keys."""
    reached = channel.broadcast(Path(current_app.config["VAULT_SOCKET_DIR"]), channel.LOCK)
    click.echo(f"Locked {reached} running worker(s).")


MIN_PASSPHRASE = 12


@click.command("change-passphrase")
@click.option("--passphrase-fd", type=int, default=None, help="Read the current passphrase from this descriptor.")
@click.option("--recovery", is_flag=True, help="Open with the printed recovery key instead.")
@with_appcontext
def change_passphrase(passphrase_fd: int | None, recovery: bool) -> None:
    """Set a new passphrase. The data is not re-encrypted; the recovery key keeps working."""
    vault = open_vault(passphrase_fd, recovery)
    new = click.prompt("New passphrase", hide_input=True, confirmation_prompt=True)
    if len(new) < MIN_PASSPHRASE:
        raise click.ClickException(f"A passphrase has at least {MIN_PASSPHRASE} characters.")
    vault.change_passphrase(new)
    click.echo("The passphrase is changed. Unlock with the new one from now on.")


@click.group("vault")
def vault_group() -> None:
    """The vault's maintenance."""


@vault_group.command("encrypt-database")
@click.option("--passphrase-fd", type=int, default=None, help="Read the passphrase from this descriptor.")
@click.option("--recovery", is_flag=True, help="Use the printed recovery key instead.")
@with_appcontext
def encrypt_database(passphrase_fd: int | None, recovery: bool) -> None:
    """Encrypt an SQLite database from before the vault, in place (stop the server first)."""
    path = sqlite_file(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if path is None:
        raise click.ClickException("DATABASE_URL is not an SQLite file: nothing to encrypt here.")
    vault = open_vault(passphrase_fd, recovery)
    try:
        clear_database.encrypt(path, vault.dek)
    except (OSError, VaultError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"The database {path} is encrypted now. Unlock the server as before.")


def init_app(app: Flask) -> None:
    app.cli.add_command(vault_group)
    app.cli.add_command(unlock)
    app.cli.add_command(lock)
    app.cli.add_command(change_passphrase)
