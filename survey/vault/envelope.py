"""The envelope: one random data key (DEK) wrapped twice, by a key derived from the passphrase
(argon2id) and by the printed recovery key, with AES-GCM; the server's other secrets sealed
under the DEK. Changing the passphrase rewraps the DEK; nothing else is re-encrypted.

The vault file (``instance/vault.json``, mode 0600) holds only wrapped or sealed bytes."""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import VaultError, WrongPassphrase

FORMAT = 1
KEY_BYTES = 32
NONCE_BYTES = 12
PASSPHRASE_GROUPS = 5
RECOVERY_GROUPS = 13  # 13 groups of 4 base32 letters: 260 bits, of which 256 are the key


@dataclass(frozen=True)
class Cost:
    """argon2id's cost: RFC 9106's second recommended choice by default (64 MiB, 3 passes)."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 1


@dataclass(frozen=True)
class Envelope:
    salt: bytes
    cost: Cost
    by_passphrase: bytes
    by_recovery: bytes
    recovery_salt: bytes
    sealed: dict[str, bytes] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT, "kdf": "argon2id", "salt": _b64(self.salt),
            "time_cost": self.cost.time_cost, "memory_kib": self.cost.memory_kib,
            "parallelism": self.cost.parallelism, "by_passphrase": _b64(self.by_passphrase),
            "by_recovery": _b64(self.by_recovery), "recovery_salt": _b64(self.recovery_salt),
            "sealed": {name: _b64(blob) for name, blob in sorted(self.sealed.items())},
        }, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Envelope:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT or data.get("kdf") != "argon2id":
                raise VaultError("the vault file has an unknown format")
            return cls(salt=_unb64(data["salt"]),
                       cost=Cost(int(data["time_cost"]), int(data["memory_kib"]),
                                 int(data["parallelism"])),
                       by_passphrase=_unb64(data["by_passphrase"]),
                       by_recovery=_unb64(data["by_recovery"]),
                       recovery_salt=_unb64(data["recovery_salt"]),
                       sealed={name: _unb64(blob) for name, blob in data["sealed"].items()})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise VaultError(f"the vault file is damaged ({exc.__class__.__name__})") from None


def new_envelope(passphrase: str, cost: Cost) -> tuple[Envelope, bytes, str]:
    """A new vault: the envelope, its DEK, and the recovery key to print once."""
    dek = AESGCM.generate_key(bit_length=256)
    salt, recovery_salt = os.urandom(16), os.urandom(16)
    recovery = new_recovery_key()
    envelope = Envelope(salt=salt, cost=cost,
                        by_passphrase=_wrap(passphrase_key(passphrase, salt, cost), dek, b"passphrase"),
                        by_recovery=_wrap(recovery_kek(recovery, recovery_salt), dek, b"recovery"),
                        recovery_salt=recovery_salt)
    return envelope, dek, recovery


def open_with_passphrase(envelope: Envelope, passphrase: str) -> bytes:
    """The DEK, or ``WrongPassphrase``."""
    kek = passphrase_key(passphrase, envelope.salt, envelope.cost)
    return _unwrap(kek, envelope.by_passphrase, b"passphrase")


def open_with_recovery(envelope: Envelope, recovery: str) -> bytes:
    return _unwrap(recovery_kek(recovery, envelope.recovery_salt), envelope.by_recovery, b"recovery")


def with_passphrase(envelope: Envelope, dek: bytes, passphrase: str) -> Envelope:
    """The same DEK wrapped by a new passphrase (and a new salt): no data is re-encrypted."""
    salt = os.urandom(16)
    return replace(envelope, salt=salt,
                   by_passphrase=_wrap(passphrase_key(passphrase, salt, envelope.cost), dek,
                                       b"passphrase"))


def passphrase_key(passphrase: str, salt: bytes, cost: Cost) -> bytes:
    return hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=cost.time_cost,
                           memory_cost=cost.memory_kib, parallelism=cost.parallelism,
                           hash_len=KEY_BYTES, type=Type.ID)


def new_recovery_key() -> str:
    return _groups(RECOVERY_GROUPS)


def new_passphrase() -> str:
    """What ``flask setup`` prints once: 100 random bits, to be replaced by the admin's own."""
    return _groups(PASSPHRASE_GROUPS)


def _groups(count: int) -> str:
    letters = base64.b32encode(secrets.token_bytes(KEY_BYTES + 1)).decode()[:4 * count]
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def recovery_kek(recovery: str, salt: bytes) -> bytes:
    """The recovery key has 256 random bits: HKDF is enough, no memory-hard stretching."""
    letters = "".join(recovery.upper().split()).replace("-", "").encode()
    return HKDF(hashes.SHA256(), KEY_BYTES, salt, b"survey vault recovery").derive(letters)


def seal(key: bytes, plaintext: bytes, label: bytes) -> bytes:
    """AES-256-GCM: a random 96-bit nonce, then the ciphertext and tag; ``label`` is bound in."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, label)


def unseal(key: bytes, blob: bytes, label: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], label)
    except (InvalidTag, ValueError):
        raise WrongPassphrase("this key does not open it") from None


def read(path: Path) -> Envelope | None:
    try:
        return Envelope.from_json(path.read_text())
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise VaultError(f"cannot read the vault file {path}: {exc.strerror}") from None


def write(path: Path, envelope: Envelope, *, exclusive: bool = False) -> bool:
    """Write the vault file owner-only, whole or not at all. ``exclusive``: only if there is none
    (False when another process made one first)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(envelope.to_json())
            file.flush()
            os.fsync(file.fileno())
        if exclusive:
            os.link(temporary, path)
        else:
            os.replace(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


def shred(path: Path) -> None:
    """Overwrite a clear secret's file, then remove it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with path.open("r+b") as file:
        file.write(b"\0" * size)
        file.flush()
    path.unlink()


def _wrap(kek: bytes, dek: bytes, label: bytes) -> bytes:
    return seal(kek, dek, b"dek:" + label)


def _unwrap(kek: bytes, blob: bytes, label: bytes) -> bytes:
    try:
        return unseal(kek, blob, b"dek:" + label)
    except WrongPassphrase:
        raise WrongPassphrase(f"the {label.decode()} does not open this vault") from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)
