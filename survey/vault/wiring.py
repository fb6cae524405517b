"""The vault joined to the app: made locked at start, the secret key sealed in it, the locked
gate, the unlock page and commands, the workers' channel, and the unattended unlock."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, current_app

from . import channel, cli, gate, views
from .envelope import Cost, shred
from .errors import VaultError
from .state import Vault

SECRET_KEY_FILE = "secret_key"


def init_app(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(app.instance_path, 0o700)
    vault = Vault(Path(app.config["VAULT_FILE"]),
                  Cost(time_cost=app.config["VAULT_KDF_TIME_COST"],
                       memory_kib=app.config["VAULT_KDF_MEMORY_KIB"]))
    app.extensions["vault"] = vault
    if not app.config.get("SECRET_KEY"):
        _seal_secret_key(app, vault)
    gate.init_app(app)
    app.register_blueprint(views.bp)
    cli.init_app(app)
    if app.config["VAULT_CHANNEL"] and not app.testing:
        _join_workers(app, vault)
    if app.config.get("VAULT_PASSPHRASE_FILE") and not vault.unlocked:
        _unlock_unattended(app, vault, Path(app.config["VAULT_PASSPHRASE_FILE"]))


def current_vault() -> Vault:
    return current_app.extensions["vault"]


def _seal_secret_key(app: Flask, vault: Vault) -> None:
    """While locked the app signs with a throwaway key; unlocked, with the sealed one (a clear
    ``instance/secret_key`` from before is sealed and removed)."""
    clear = Path(app.instance_path) / SECRET_KEY_FILE

    def unlocked() -> None:
        sealed = vault.secret(SECRET_KEY_FILE, lambda: _read_clear(clear) or secrets.token_hex(32).encode())
        app.config["SECRET_KEY"] = sealed.decode()
        shred(clear)

    def locked() -> None:
        app.config["SECRET_KEY"] = secrets.token_hex(32)

    locked()
    vault.on_unlock(unlocked)
    vault.on_lock(locked)


def _join_workers(app: Flask, vault: Vault) -> None:
    directory = Path(app.config["VAULT_SOCKET_DIR"])
    channel.listen(vault, directory)
    dek = channel.ask_peers(directory)
    if dek is not None:
        try:
            vault.unlock_with_key(dek)
        except VaultError:
            app.logger.warning("a peer's key does not open this vault")


def _unlock_unattended(app: Flask, vault: Vault, passphrase_file: Path) -> None:
    """A host that starts alone reads its passphrase from a file (a systemd credential)."""
    try:
        passphrase = passphrase_file.read_text().rstrip("\r\n")
        if vault.exists:
            vault.unlock(passphrase)
        else:
            vault.create(passphrase)
    except (OSError, VaultError) as exc:
        app.logger.error("the server stays locked: %s", exc)


def _read_clear(path: Path) -> bytes | None:
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        return None
