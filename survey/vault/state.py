"""The vault of one server process: the DEK in memory while unlocked, and the secrets sealed
under it. Locking drops the DEK and everything opened with it (``forget`` callbacks)."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import envelope
from .envelope import Cost, Envelope
from .errors import Locked, VaultError, WrongPassphrase

CHECK = "check"


class Vault:
    def __init__(self, path: Path, cost: Cost) -> None:
        self.path = path
        self.cost = cost
        self.memory: dict[str, Any] = {}  # what was opened with the DEK; emptied on lock
        self._dek: bytes | None = None
        self._guard = threading.Lock()
        self._on_lock: list[Callable[[], None]] = []
        self._on_unlock: list[Callable[[], None]] = []

    @property
    def exists(self) -> bool:
        return self.path.exists()

    @property
    def unlocked(self) -> bool:
        return self._dek is not None

    @property
    def dek(self) -> bytes:
        dek = self._dek
        if dek is None:
            raise Locked("the server is locked")
        return dek

    def on_lock(self, callback: Callable[[], None]) -> None:
        self._on_lock.append(callback)

    def on_unlock(self, callback: Callable[[], None]) -> None:
        self._on_unlock.append(callback)

    def create(self, passphrase: str) -> str | None:
        """Make the vault and unlock it; the recovery key to print, or None when another
        process made the vault first (then it is opened with ``passphrase``)."""
        made, dek, recovery = envelope.new_envelope(passphrase, self.cost)
        made = replace(made, sealed={CHECK: envelope.seal(dek, b"", CHECK.encode())})
        if not envelope.write(self.path, made, exclusive=True):
            self.unlock(passphrase)
            return None
        self.unlock_with_key(dek)
        return recovery

    def unlock(self, passphrase: str) -> bytes:
        """Open the vault with the passphrase; the DEK (so other workers can be given it)."""
        dek = envelope.open_with_passphrase(self._envelope(), passphrase)
        self.unlock_with_key(dek)
        return dek

    def unlock_with_recovery(self, recovery: str) -> bytes:
        dek = envelope.open_with_recovery(self._envelope(), recovery)
        self.unlock_with_key(dek)
        return dek

    def unlock_with_key(self, dek: bytes) -> None:
        """Take ``dek`` if it is this vault's (``WrongPassphrase`` if not)."""
        envelope.unseal(dek, self._envelope().sealed[CHECK], CHECK.encode())
        with self._guard:
            if self._dek is not None:
                return
            self._dek = dek
        for callback in self._on_unlock:
            callback()

    def lock(self) -> None:
        with self._guard:
            if self._dek is None:
                return
            self._dek = None
            self.memory.clear()
        for callback in self._on_lock:
            callback()

    def change_passphrase(self, new_passphrase: str) -> None:
        with self._writing() as current:
            envelope.write(self.path, envelope.with_passphrase(current, self.dek, new_passphrase))

    def secret(self, name: str, make: Callable[[], bytes]) -> bytes:
        """The secret sealed as ``name``; made by ``make`` and sealed the first time."""
        sealed = self._envelope().sealed.get(name)
        if sealed is None:
            with self._writing() as current:
                sealed = current.sealed.get(name)
                if sealed is None:
                    sealed = envelope.seal(self.dek, make(), f"secret:{name}".encode())
                    envelope.write(self.path, replace(current, sealed=current.sealed | {name: sealed}))
        return envelope.unseal(self.dek, sealed, f"secret:{name}".encode())

    def seal(self, plaintext: bytes, label: str) -> bytes:
        return envelope.seal(self.dek, plaintext, label.encode())

    def open(self, blob: bytes, label: str) -> bytes:
        try:
            return envelope.unseal(self.dek, blob, label.encode())
        except WrongPassphrase:
            raise VaultError(f"a value sealed as {label} does not open with this vault's key") from None

    def _envelope(self) -> Envelope:
        current = envelope.read(self.path)
        if current is None:
            raise VaultError(f"there is no vault at {self.path}: run 'flask setup'")
        return current

    @contextmanager
    def _writing(self) -> Iterator[Envelope]:
        """The envelope as it is on disk, with every other writer kept out until done."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield self._envelope()
        finally:
            os.close(fd)
