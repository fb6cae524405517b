"""Where a page may send her next: only to a path on this site."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def local_path(target: str | None) -> str | None:
    """``target`` if every browser reads it as a path on this site, else None.

    Browsers drop tabs and newlines anywhere in a URL, strip control characters and spaces
    around it, and read ``\\`` as ``/``: ``/\\t/evil.example`` and ``/\\evil.example`` lead to
    another host. A target holding any of these is refused, never repaired.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(_unseen(char) for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _unseen(char: str) -> bool:
    """Control (tabs and newlines too), format, surrogate, private-use and unassigned."""
    return unicodedata.category(char).startswith("C")
