"""What can go wrong with the vault, as messages an operator can act on."""

from __future__ import annotations


class VaultError(RuntimeError):
    """The vault file is missing, damaged, or cannot be written."""


class WrongPassphrase(VaultError):
    """The passphrase (or recovery key) does not open this vault."""


class Locked(VaultError):
    """The data key is not in memory: the server is locked."""
