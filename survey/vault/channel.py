"""How the workers of one server share one unlock without writing the key anywhere: each
worker listens on its own Unix socket in a folder only the server's user can enter
(``VAULT_SOCKET_DIR``, mode 0700). Whoever unlocks (a worker that took the passphrase from
the browser, or ``flask unlock``) sends the DEK to every socket; a panic sends "lock"; a worker
that starts later asks its peers. A worker takes a DEK only if it opens the vault's check value.

Not Redis: a key there lives in another program's memory (often on another host), is copied by
its persistence (RDB/AOF files on disk) and replication, and is readable by every client of
that Redis. The sockets carry the key from one process's memory to another's, on one host."""

from __future__ import annotations

import atexit
import os
import socket
import threading
from pathlib import Path

from .errors import WrongPassphrase
from .state import Vault

UNLOCK, LOCK, ASK = b"U", b"L", b"?"
TIMEOUT_SECONDS = 2.0


def listen(vault: Vault, directory: Path) -> Path:
    """Serve this process's socket in a background thread; the socket's path."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    path = directory / f"{os.getpid()}.sock"
    path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    os.chmod(path, 0o600)
    server.listen(8)
    atexit.register(path.unlink, missing_ok=True)
    threading.Thread(target=_serve, args=(vault, server), daemon=True, name="vault-channel").start()
    return path


def broadcast(directory: Path, message: bytes) -> int:
    """Send ``message`` to every other process's socket; how many took it."""
    reached = 0
    for path in _peers(directory):
        reached += _send(path, message) is not None
    return reached


def ask_peers(directory: Path) -> bytes | None:
    """The DEK from the first unlocked peer, or None."""
    for path in _peers(directory):
        answer = _send(path, ASK)
        if answer and answer[:1] == UNLOCK:
            return answer[1:]
    return None


def _serve(vault: Vault, server: socket.socket) -> None:
    while True:
        connection, _ = server.accept()
        with connection:
            connection.settimeout(TIMEOUT_SECONDS)
            try:
                _answer(vault, connection, _receive(connection))
            except (OSError, WrongPassphrase):
                continue


def _answer(vault: Vault, connection: socket.socket, message: bytes) -> None:
    kind, body = message[:1], message[1:]
    if kind == UNLOCK:
        vault.unlock_with_key(body)
    elif kind == LOCK:
        vault.lock()
    elif kind == ASK:
        connection.sendall(UNLOCK + vault.dek if vault.unlocked else LOCK)


def _send(path: Path, message: bytes) -> bytes | None:
    """``message`` sent to ``path``, and its answer; None if nobody listens (then it is removed)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(TIMEOUT_SECONDS)
            client.connect(str(path))
            client.sendall(message)
            client.shutdown(socket.SHUT_WR)
            return _receive(client)
    except (ConnectionRefusedError, FileNotFoundError):
        path.unlink(missing_ok=True)
    except OSError:
        pass
    return None


def _receive(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(64):
        chunks.append(chunk)
    return b"".join(chunks)


def _peers(directory: Path) -> list[Path]:
    own = f"{os.getpid()}.sock"
    return sorted(path for path in directory.glob("*.sock") if path.name != own)
