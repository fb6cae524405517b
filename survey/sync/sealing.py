"""Sealed records: AES-256-GCM with the record's uuid as additional data, the key wrapped
with RSA-OAEP (SHA-256) to the server's public key. ``seal`` does exactly what the browser does."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .keys import KeyPair, key_id

FIELDS = ("uuid", "kid", "wrapped_key", "iv", "ciphertext")
IV_BYTES = 12


class SealError(ValueError):
    """A sealed record that cannot be opened; ``field`` names the part at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Sealed:
    uuid: str
    kid: str
    wrapped_key: bytes
    iv: bytes
    ciphertext: bytes

    @classmethod
    def from_json(cls, record: Any) -> Sealed:
        """The parts of one record of the upload; raises ``SealError`` naming a bad one."""
        if not isinstance(record, Mapping):
            raise SealError("record", "must be an object")
        for name in FIELDS:
            if not isinstance(record.get(name), str) or not record[name]:
                raise SealError(name, "missing: every record needs " + ", ".join(FIELDS))
        return cls(record["uuid"], record["kid"], _b64decode(record, "wrapped_key"),
                   _b64decode(record, "iv"), _b64decode(record, "ciphertext"))


def _oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def seal(record: Mapping[str, Any], public_key: rsa.RSAPublicKey) -> dict[str, str]:
    """Encrypt ``record`` (with its ``uuid``) for the server, as the tablet does."""
    key = AESGCM.generate_key(bit_length=256)
    iv = os.urandom(IV_BYTES)
    plaintext = json.dumps(record, ensure_ascii=False).encode()
    uuid = str(record["uuid"])
    return {
        "uuid": uuid, "kid": key_id(public_key),
        "wrapped_key": _b64encode(public_key.encrypt(key, _oaep())),
        "iv": _b64encode(iv),
        "ciphertext": _b64encode(AESGCM(key).encrypt(iv, plaintext, uuid.encode())),
    }


def unseal(sealed: Sealed, pair: KeyPair) -> dict[str, Any]:
    """The record's plaintext JSON object; raises ``SealError`` naming the field at fault."""
    if sealed.kid != pair.kid:
        raise SealError("kid", "sealed to a key this server does not have; fetch /api/v1/key")
    if len(sealed.iv) != IV_BYTES:
        raise SealError("iv", f"must be {IV_BYTES} bytes")
    try:
        key = pair.private.decrypt(sealed.wrapped_key, _oaep())
    except ValueError:
        raise SealError("wrapped_key", "cannot be unwrapped with this server's key") from None
    if len(key) != 32:
        raise SealError("wrapped_key", "must wrap a 256-bit AES key")
    try:
        plaintext = AESGCM(key).decrypt(sealed.iv, sealed.ciphertext, sealed.uuid.encode())
    except InvalidTag:
        raise SealError("ciphertext", "damaged, or sealed for another uuid") from None
    try:
        record = json.loads(plaintext)
    except (UnicodeDecodeError, ValueError):
        raise SealError("ciphertext", "the plaintext is not UTF-8 JSON") from None
    if not isinstance(record, dict):
        raise SealError("ciphertext", "the plaintext must be a JSON object")
    return record


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _b64decode(record: Mapping[str, str], name: str) -> bytes:
    try:
        return base64.b64decode(record[name], validate=True)
    except (binascii.Error, ValueError):
        raise SealError(name, "not valid base64") from None
