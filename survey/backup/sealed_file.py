"""The backup file: a header in the clear (the vault file, whose data key is wrapped by the
passphrase and the recovery key, and a random salt), then the contents in chunks of AES-256-GCM
under HKDF(DEK, salt). Each chunk's nonce is its number and a last-chunk flag, and the header is
bound into every chunk: a chunk changed, moved, dropped or cut off does not open (STREAM)."""

from __future__ import annotations

import base64
import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..vault import envelope
from ..vault.envelope import Envelope
from ..vault.errors import VaultError

MAGIC = b"SURVEY-BACKUP\x00\x01\n"
CHUNK = 1 << 20
LENGTH = struct.Struct(">I")


class BackupError(VaultError):
    """The file is not a backup, is damaged or was changed, or does not fit the target."""


@dataclass(frozen=True)
class Header:
    vault_file: str
    salt: bytes

    def to_bytes(self) -> bytes:
        return json.dumps({"vault": self.vault_file, "salt": base64.b64encode(self.salt).decode(),
                           "chunk": CHUNK, "cipher": "AES-256-GCM STREAM"}).encode()

    @property
    def envelope(self) -> Envelope:
        return Envelope.from_json(self.vault_file)


def backup_key(dek: bytes, salt: bytes) -> bytes:
    return HKDF(hashes.SHA256(), envelope.KEY_BYTES, salt, b"survey backup v1").derive(dek)


class Writer:
    """Writes the contents sealed, one chunk at a time; ``close`` writes the last one."""

    def __init__(self, out: BinaryIO, vault_file: str, dek: bytes) -> None:
        self.header = Header(vault_file, os.urandom(16))
        self._bound = self.header.to_bytes()
        self._aead = AESGCM(backup_key(dek, self.header.salt))
        self._out = out
        self._buffer = bytearray()
        self._count = 0
        out.write(MAGIC + LENGTH.pack(len(self._bound)) + self._bound)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, chunk: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._count, last), chunk, self._bound)
        self._out.write(LENGTH.pack(len(sealed)) + sealed)
        self._count += 1


def read_header(source: BinaryIO) -> tuple[Header, bytes]:
    """The header, and its bytes as they are bound into the chunks."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("this file is not a backup made by 'flask backup'")
    bound = source.read(_length(source))
    try:
        data = json.loads(bound)
        header = Header(str(data["vault"]), base64.b64decode(data["salt"], validate=True))
    except (ValueError, KeyError, TypeError):
        raise BackupError("the backup's header is damaged") from None
    return header, bound


def chunks(source: BinaryIO, dek: bytes) -> Iterator[bytes]:
    """The contents, chunk by chunk, each opened before it is given (``BackupError`` at the first
    that does not open, or if the file ends before its last chunk or goes on after it)."""
    header, bound = read_header(source)
    aead = AESGCM(backup_key(dek, header.salt))
    count = 0
    while True:
        sealed = source.read(_length(source))
        last = _at_end(source)
        try:
            yield aead.decrypt(_nonce(count, last), sealed, bound)
        except InvalidTag:
            raise BackupError("the backup is damaged or was changed (or cut off): nothing is restored") from None
        if last:
            return
        count += 1


class Reader:
    """The opened contents as a file object that ``tarfile`` can stream from."""

    def __init__(self, source: BinaryIO, dek: bytes) -> None:
        self._chunks = chunks(source, dek)
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def verify(source: BinaryIO, dek: bytes) -> int:
    """Open every chunk and keep none: the number of bytes the contents have."""
    return sum(len(chunk) for chunk in chunks(source, dek))


def _nonce(count: int, last: bool) -> bytes:
    return count.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _length(source: BinaryIO) -> int:
    raw = source.read(LENGTH.size)
    if len(raw) != LENGTH.size:
        raise BackupError("the backup is cut off: nothing is restored")
    return LENGTH.unpack(raw)[0]


def _at_end(source: BinaryIO) -> bool:
    position = source.tell()
    at_end = source.read(1) == b""
    source.seek(position)
    return at_end
