"""Sealed records: AES-256-GCM with the record's uuid as additional data, under a key only the
server can recover. Two seals, told apart by ``alg``:

- ``ECDH-ES-P256`` (the tablet's seal): a fresh P-256 key pair per record; ECDH with the server's
  P-256 key, HKDF-SHA256 (salt: the ephemeral public key) gives the AES key. The tablet keeps no
  private key, so it cannot open what it sealed.
- ``RSA-OAEP-256`` (no ``alg``: tablets that have not updated): a random AES key per record,
  wrapped with RSA-OAEP (SHA-256) to the server's RSA key.

``seal`` and ``seal_ecdh`` do exactly what the browser does.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .keys import ALGORITHM, EC_ALGORITHM, KeyPair, key_id

COMMON = ("uuid", "kid", "iv", "ciphertext")
KEY_PARTS = {ALGORITHM: "wrapped_key", EC_ALGORITHM: "epk"}
"""The part that carries each seal's key: the wrapped AES key, or the ephemeral public key."""
FIELDS = ("uuid", "kid", "wrapped_key", "iv", "ciphertext")
"""The parts of the old seal, which has no ``alg``."""
IV_BYTES = 12
HKDF_INFO = b"survey sealed record ECDH-ES-P256"


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
    key: bytes
    """``wrapped_key`` of the RSA seal, or ``epk`` of the ECDH seal."""
    iv: bytes
    ciphertext: bytes
    alg: str = ALGORITHM

    @classmethod
    def from_json(cls, record: Any) -> Sealed:
        """The parts of one record of the upload; raises ``SealError`` naming a bad one."""
        if not isinstance(record, Mapping):
            raise SealError("record", "must be an object")
        alg = record.get("alg", ALGORITHM)
        if not isinstance(alg, str) or alg not in KEY_PARTS:
            raise SealError("alg", f"unknown seal; one of {', '.join(KEY_PARTS)} (or none: "
                                   f"{ALGORITHM})")
        names = (*COMMON[:2], KEY_PARTS[alg], *COMMON[2:])
        for name in names:
            if not isinstance(record.get(name), str) or not record[name]:
                raise SealError(name, "missing: every record needs " + ", ".join(names))
        return cls(record["uuid"], record["kid"], _b64decode(record, KEY_PARTS[alg]),
                   _b64decode(record, "iv"), _b64decode(record, "ciphertext"), alg)

    @property
    def key_part(self) -> str:
        return KEY_PARTS[self.alg]


def _oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def _hkdf(shared: bytes, epk: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=epk, info=HKDF_INFO).derive(shared)


def seal(record: Mapping[str, Any], public_key: rsa.RSAPublicKey) -> dict[str, str]:
    """Encrypt ``record`` (with its ``uuid``) for the server with the old RSA seal."""
    key = AESGCM.generate_key(bit_length=256)
    envelope = _encrypt(record, key)
    return {**envelope, "kid": key_id(public_key),
            "wrapped_key": _b64encode(public_key.encrypt(key, _oaep()))}


def seal_ecdh(record: Mapping[str, Any], public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    """Encrypt ``record`` (with its ``uuid``) for the server with the ECDH seal, as the tablet does."""
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    epk = ephemeral.public_key().public_bytes(serialization.Encoding.X962,
                                              serialization.PublicFormat.UncompressedPoint)
    key = _hkdf(ephemeral.exchange(ec.ECDH(), public_key), epk)
    return {**_encrypt(record, key), "alg": EC_ALGORITHM, "kid": key_id(public_key),
            "epk": _b64encode(epk)}


def _encrypt(record: Mapping[str, Any], key: bytes) -> dict[str, str]:
    iv = os.urandom(IV_BYTES)
    uuid = str(record["uuid"])
    plaintext = json.dumps(record, ensure_ascii=False).encode()
    return {"uuid": uuid, "iv": _b64encode(iv),
            "ciphertext": _b64encode(AESGCM(key).encrypt(iv, plaintext, uuid.encode()))}


def unseal(sealed: Sealed, pair: KeyPair) -> dict[str, Any]:
    """The record's plaintext JSON object; raises ``SealError`` naming the field at fault."""
    key = _ecdh_key(sealed, pair) if sealed.alg == EC_ALGORITHM else _unwrapped_key(sealed, pair)
    if len(sealed.iv) != IV_BYTES:
        raise SealError("iv", f"must be {IV_BYTES} bytes")
    try:
        plaintext = AESGCM(key).decrypt(sealed.iv, sealed.ciphertext, sealed.uuid.encode())
    except InvalidTag:
        raise SealError("ciphertext", "damaged, or sealed for another uuid") from None
    try:
        record = json.loads(plaintext)
    except (UnicodeDecodeError, ValueError):
        raise SealError("ciphertext", "the plaintext is not UTF-8 JSON") from None
    except RecursionError:
        raise SealError("ciphertext", "the plaintext is nested too deeply") from None
    if not isinstance(record, dict):
        raise SealError("ciphertext", "the plaintext must be a JSON object")
    return record


def _unwrapped_key(sealed: Sealed, pair: KeyPair) -> bytes:
    _check_kid(sealed, pair.kid)
    try:
        key = pair.private.decrypt(sealed.key, _oaep())
    except ValueError:
        raise SealError("wrapped_key", "cannot be unwrapped with this server's key") from None
    if len(key) != 32:
        raise SealError("wrapped_key", "must wrap a 256-bit AES key")
    return key


def _ecdh_key(sealed: Sealed, pair: KeyPair) -> bytes:
    if pair.ec is None:
        raise SealError("alg", f"this server has no {EC_ALGORITHM} key; seal with {ALGORITHM}")
    _check_kid(sealed, pair.ec_kid)
    try:
        epk = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sealed.key)
    except ValueError:
        raise SealError("epk", "not a point on P-256 (65 bytes, uncompressed)") from None
    return _hkdf(pair.ec.exchange(ec.ECDH(), epk), sealed.key)


def _check_kid(sealed: Sealed, kid: str | None) -> None:
    if sealed.kid != kid:
        raise SealError("kid", "sealed to a key this server does not have; fetch /api/v1/key")


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _b64decode(record: Mapping[str, str], name: str) -> bytes:
    try:
        return base64.b64decode(record[name], validate=True)
    except (binascii.Error, ValueError):
        raise SealError(name, "not valid base64") from None
