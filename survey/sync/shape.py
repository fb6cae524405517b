"""What JSON an upload may hold at all, before its meaning is checked.

Parsed JSON can carry things no column takes: a lone surrogate (``JSON.stringify``
of a cut emoji), a NUL character (PostgreSQL refuses it in text), an infinite
number (``1e999``), or nesting deep enough to exhaust the stack. Each is named by
its field here, so the record gets its own ``invalid`` result and nothing else stops.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

MAX_DEPTH = 8
"""Nesting a record may have: record → answers → list → value is 3; the rest is headroom."""


class ShapeError(ValueError):
    """A value no record may hold; ``field`` names where it is."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse(body: bytes) -> Any:
    """The JSON of a request body or file; ``ShapeError`` (field ``records``) if it is not JSON."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise ShapeError("records", 'not JSON; the body must be {"records": [...]}') from None
    except RecursionError:
        raise ShapeError("records", "the JSON is nested too deeply") from None


def check_shape(value: Any, field: str = "", depth: int = 0) -> None:
    """Raise ``ShapeError`` for the first value under ``value`` that no record may hold."""
    if depth > MAX_DEPTH:
        raise ShapeError(field or "record", f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        _check_text(value, field or "record")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ShapeError(field or "record", "not a finite number")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_text(key, field or "record")
            check_shape(item, _join(field, key), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_shape(item, f"{field}[{index}]", depth + 1)


def _check_text(text: str, field: str) -> None:
    if "\x00" in text:
        raise ShapeError(field, "contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ShapeError(field, "contains a lone surrogate (half of an emoji?); "
                                "it is not valid Unicode") from None


def _join(field: str, key: str) -> str:
    shown = key if key.isprintable() and len(key) <= 64 else repr(key[:64])
    return f"{field}.{shown}" if field else shown
