"""Columns encrypted by the application where the database cannot encrypt its files
(PostgreSQL): AES-GCM under the DEK, a fresh nonce per value, the column's name bound in (a
value moved to another column does not open). On SQLite the whole file is SQLCipher's, so the
value is stored as it is."""

from __future__ import annotations

import base64
from typing import Any

from flask import current_app
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

PREFIX = "v1:"


class SealedText(TypeDecorator[str]):
    """Text readable only while the server is unlocked. Rows from before (no prefix) are read
    as they are until migration 0801 seals them."""

    impl = Text
    cache_ok = True

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or dialect.name == "sqlite":
            return value
        return seal_text(value, self.label)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not value.startswith(PREFIX):
            return value
        return open_text(value, self.label)


def seal_text(value: str, label: str) -> str:
    vault = current_app.extensions["vault"]
    sealed = vault.seal(value.encode("utf-8", "surrogatepass"), f"column:{label}")
    return PREFIX + base64.b64encode(sealed).decode()


def open_text(value: str, label: str) -> str:
    vault = current_app.extensions["vault"]
    opened = vault.open(base64.b64decode(value.removeprefix(PREFIX)), f"column:{label}")
    return opened.decode("utf-8", "surrogatepass")


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)
