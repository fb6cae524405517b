"""A finished workbook at rest: sealed in 1 MiB chunks with the vault's data key (AES-GCM),
each chunk bound to the job, its place and whether it is the last, so no chunk can be
swapped, reordered or cut off. Sealing and opening read one chunk at a time."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from ..vault.errors import Locked, VaultError
from ..vault.state import Vault

CHUNK = 1024 * 1024
LENGTH = struct.Struct(">I")


class Damaged(ValueError):
    """The sealed file is cut short or was changed."""


def seal_file(vault: Vault, source: IO[bytes], target: Path, job_id: str,
              progress: Callable[[int], None] = lambda done: None) -> None:
    """Seal ``source`` (read from its start) into ``target``, owner-only, whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(target.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for index, (chunk, last) in enumerate(_chunks(source)):
                blob = vault.seal(chunk, _label(job_id, index, last))
                out.write(LENGTH.pack(len(blob)) + blob)
                progress(source.tell())
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def open_file(vault: Vault, file: IO[bytes], job_id: str) -> Iterator[bytes]:
    """The clear bytes, one chunk at a time; ``Damaged`` if the file is not whole. The file is
    closed when they have all been read."""
    with file:
        index, last = 0, False
        while header := file.read(LENGTH.size):
            if last or len(header) < LENGTH.size:
                raise Damaged(job_id)
            blob = file.read(LENGTH.unpack(header)[0])
            chunk, last = _open_chunk(vault, blob, job_id, index)
            yield chunk
            index += 1
        if not last:
            raise Damaged(job_id)


def _open_chunk(vault: Vault, blob: bytes, job_id: str, index: int) -> tuple[bytes, bool]:
    for last in (False, True):
        try:
            return vault.open(blob, _label(job_id, index, last)), last
        except Locked:
            raise
        except VaultError:
            continue
    raise Damaged(f"chunk {index}")


def _chunks(source: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        yield chunk, not following
        if not following:
            return
        chunk = following


def _label(job_id: str, index: int, last: bool) -> str:
    return f"job:{job_id}:{index}:{'last' if last else 'more'}"
