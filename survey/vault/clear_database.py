"""An SQLite database from before the vault is clear: it is found at unlock, and
``flask vault encrypt-database`` exports it into an SQLCipher file keyed like the others
(``sqlcipher_export``), which then replaces it whole."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import sqlcipher3.dbapi2

from ..db import database_key
from .errors import VaultError

CLEAR_HEADER = b"SQLite format 3\x00"
COMMAND = "flask vault encrypt-database"


def is_clear(path: Path | None) -> bool:
    """True for an SQLite file that anyone can read (SQLCipher's first page is random)."""
    if path is None or not path.exists():
        return False
    with path.open("rb") as file:
        return file.read(len(CLEAR_HEADER)) == CLEAR_HEADER


def refuse_clear(path: Path | None) -> None:
    if is_clear(path):
        raise VaultError(f"the database {path} is not encrypted (it is from before the vault): "
                         f"stop the server and run '{COMMAND}'")


def encrypt(path: Path, dek: bytes) -> None:
    """Export the clear database into an encrypted copy beside it, then rename it over it.
    The blocks the clear file had stay on the disk until overwritten: use full-disk encryption."""
    if not is_clear(path):
        raise VaultError(f"the database {path} is encrypted already")
    encrypted = path.with_name(f".encrypting-{secrets.token_hex(8)}.sqlite3")
    os.close(os.open(encrypted, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        clear = sqlcipher3.dbapi2.connect(str(path))
        try:
            clear.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            version = clear.execute("PRAGMA user_version").fetchone()[0]
            clear.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{database_key(dek).hex()}'\"",
                          (str(encrypted),))
            clear.execute("SELECT sqlcipher_export('encrypted')")
            clear.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            clear.execute("DETACH DATABASE encrypted")
        finally:
            clear.close()
        with encrypted.open("rb+") as file:
            os.fsync(file.fileno())
        for side in ("-wal", "-shm"):
            path.with_name(path.name + side).unlink(missing_ok=True)
        os.replace(encrypted, path)
    finally:
        encrypted.unlink(missing_ok=True)
