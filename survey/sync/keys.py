"""The server's key pair for sealed records: made once in the instance folder, or read from a file."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import current_app

KEY_FILE = "sync_key.pem"
KEY_BITS = 3072
ALGORITHM = "RSA-OAEP-256"


class KeyFileError(RuntimeError):
    """The configured key file is missing or is not an RSA private key."""


@dataclass(frozen=True)
class KeyPair:
    private: rsa.RSAPrivateKey

    @property
    def public(self) -> rsa.RSAPublicKey:
        return self.private.public_key()

    @property
    def kid(self) -> str:
        return key_id(self.public)


def key_id(public_key: rsa.RSAPublicKey) -> str:
    """The SHA-256 of the public key's SPKI DER, in hex: what a sealed record names as ``kid``."""
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def public_jwk(public_key: rsa.RSAPublicKey) -> dict[str, Any]:
    """The public key as WebCrypto imports it for ``RSA-OAEP`` with SHA-256."""
    numbers = public_key.public_numbers()
    return {"kty": "RSA", "n": _b64url(numbers.n), "e": _b64url(numbers.e), "alg": ALGORITHM,
            "ext": True, "key_ops": ["encrypt"]}


def current() -> KeyPair:
    """This server's key pair, loaded (or made) once per app."""
    pair = current_app.extensions.get("sync_key")
    if pair is None:
        pair = KeyPair(_load(_path()))
        current_app.extensions["sync_key"] = pair
    return pair


def _path() -> Path:
    configured = current_app.config.get("SYNC_PRIVATE_KEY_FILE")
    if configured:
        return Path(configured)
    path = Path(current_app.instance_path) / KEY_FILE
    if not path.exists():
        create_key_file(path)
    return path


def create_key_file(path: Path) -> None:
    """Write a new private key to ``path`` (mode 0600) unless one is there already.

    The key is written to a private temporary file and linked into place, so
    workers starting together agree on one complete key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


def _load(path: Path) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"cannot read the sync key {path}: {exc}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyFileError(f"the sync key {path} is not an RSA private key")
    return key


def _b64url(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
