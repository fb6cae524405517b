"""The server's key pairs for sealed records, made once and sealed in the vault (a clear
``instance/sync_key*.pem`` from before is sealed at the first unlock, then removed), or read
from the files an operator configured: RSA-OAEP for tablets that have not updated, and P-256
for ECDH beside it."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import current_app

from ..vault.envelope import shred
from ..vault.state import Vault

KEY_FILE = "sync_key.pem"
KEY_BITS = 3072
ALGORITHM = "RSA-OAEP-256"
EC_KEY_FILE = "sync_key_ec.pem"
EC_ALGORITHM = "ECDH-ES-P256"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


class KeyFileError(RuntimeError):
    """The configured key file is missing or is not a private key of the right kind."""


@dataclass(frozen=True)
class KeyPair:
    private: rsa.RSAPrivateKey
    ec: ec.EllipticCurvePrivateKey | None = None

    @property
    def public(self) -> rsa.RSAPublicKey:
        return self.private.public_key()

    @property
    def kid(self) -> str:
        return key_id(self.public)

    @property
    def ec_public(self) -> ec.EllipticCurvePublicKey | None:
        return None if self.ec is None else self.ec.public_key()

    @property
    def ec_kid(self) -> str | None:
        return None if self.ec is None else key_id(self.ec.public_key())

    def published(self) -> list[dict[str, Any]]:
        """Every public key, as GET /api/v1/key lists them: the newest seal first."""
        listed = [] if self.ec is None else [
            {"kid": self.ec_kid, "alg": EC_ALGORITHM, "jwk": public_jwk(self.ec.public_key())}]
        return listed + [{"kid": self.kid, "alg": ALGORITHM, "jwk": public_jwk(self.public)}]


def key_id(public_key: PublicKey) -> str:
    """The SHA-256 of the public key's SPKI DER, in hex: what a sealed record names as ``kid``."""
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def public_jwk(public_key: PublicKey) -> dict[str, Any]:
    """The public key as WebCrypto imports it: ``RSA-OAEP`` with SHA-256, or ``ECDH`` on P-256."""
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        point = public_key.public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": _b64url(point.x, 32), "y": _b64url(point.y, 32),
                "ext": True}
    numbers = public_key.public_numbers()
    return {"kty": "RSA", "n": _b64url(numbers.n), "e": _b64url(numbers.e), "alg": ALGORITHM,
            "ext": True, "key_ops": ["encrypt"]}


def current() -> KeyPair:
    """This server's key pair, opened once per unlock (the vault forgets it when locked)."""
    configured = current_app.config.get("SYNC_PRIVATE_KEY_FILE")
    vault: Vault = current_app.extensions["vault"]
    opened = current_app.extensions if configured else vault.memory
    pair = opened.get("sync_key")
    if pair is None:
        pair = _from_files(Path(configured)) if configured else _sealed(vault)
        opened["sync_key"] = pair
    return pair


def _from_files(rsa_path: Path) -> KeyPair:
    """``SYNC_PRIVATE_KEY_FILE``, and ``SYNC_EC_PRIVATE_KEY_FILE`` or ``sync_key_ec.pem`` beside it
    (made there once)."""
    configured = current_app.config.get("SYNC_EC_PRIVATE_KEY_FILE")
    ec_path = Path(configured) if configured else rsa_path.with_name(EC_KEY_FILE)
    if not configured and not ec_path.exists():
        create_key_file(ec_path, new_ec_key)
    return KeyPair(_load(rsa_path), _load(ec_path, ec.EllipticCurvePrivateKey))


def _sealed(vault: Vault) -> KeyPair:
    return KeyPair(_open_sealed(vault, KEY_FILE, new_rsa_key, rsa.RSAPrivateKey),
                   _open_sealed(vault, EC_KEY_FILE, new_ec_key, ec.EllipticCurvePrivateKey))


def _open_sealed(vault: Vault, name: str, generate: Callable[[], PrivateKey],
                 kind: type[PrivateKey]) -> Any:
    clear = Path(current_app.instance_path) / name

    def first_time() -> bytes:
        return clear.read_bytes() if clear.exists() else _pem(generate())

    pem = vault.secret(name, first_time)
    shred(clear)
    return _check(_parse(pem, name), name, kind)


def new_rsa_key() -> PrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def new_ec_key() -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def create_key_file(path: Path, generate: Callable[[], PrivateKey] = new_rsa_key) -> None:
    """Write a new private key to ``path`` (mode 0600) unless one is there already.

    The key is written to a private temporary file and linked into place, so
    workers starting together agree on one complete key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = _pem(generate())
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


def _pem(key: PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _load(path: Path, kind: type[PrivateKey] = rsa.RSAPrivateKey) -> Any:
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read the sync key {path}: {exc}") from None
    return _check(_parse(pem, str(path)), str(path), kind)


def _parse(pem: bytes, where: str) -> Any:
    try:
        return serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise KeyFileError(f"cannot read the sync key {where}: {exc}") from None


def _check(key: Any, where: str, kind: type[PrivateKey]) -> Any:
    if not isinstance(key, kind) or (isinstance(key, ec.EllipticCurvePrivateKey)
                                     and not isinstance(key.curve, ec.SECP256R1)):
        raise KeyFileError(f"the sync key {where} is not an {_KINDS[kind]} private key")
    return key


_KINDS = {rsa.RSAPrivateKey: "RSA", ec.EllipticCurvePrivateKey: "EC P-256"}


def _b64url(number: int, length: int | None = None) -> str:
    raw = number.to_bytes(length or (number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
