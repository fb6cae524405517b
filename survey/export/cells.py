"""Safe spreadsheet cells: participant text never becomes a formula, never crashes the export.

A text is *neutralised* by putting an apostrophe in front of it when, after
any leading spaces, it starts with a character that Excel, LibreOffice or a
CSV reader could take as the start of a formula (``= + - @``, their
full-width forms ``＝ ＋ － ＠``), or with a tab, CR or LF. The apostrophe is
visible and kept on reading back: that is the neutralised text.
"""

from __future__ import annotations

import re
from typing import Any

EXCEL_MAX_CHARS = 32_767
"""The most characters one Excel cell holds."""

FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
_LEADING_SPACES = re.compile(r"^[ \u00a0\u3000]*")

# What openpyxl (and XML 1.0) refuses: C0 controls other than tab, LF and CR,
# U+FFFE and U+FFFF, and lone surrogates.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    """A control character as its Unicode control picture (U+2400-U+241F), others as U+FFFD."""
    char = match.group()
    return chr(0x2400 + ord(char)) if ord(char) < 0x20 else "\ufffd"


def neutralise(text: str) -> str:
    """The text as a spreadsheet shows it safely: never a formula, never an illegal character."""
    text = _ILLEGAL.sub(_visible, text)
    rest = text[_LEADING_SPACES.match(text).end():]  # type: ignore[union-attr]
    if rest[:1] in FORMULA_STARTS and rest:
        return "'" + text
    return text


def safe(value: Any) -> Any:
    """A cell value: numbers and dates as they are, text neutralised."""
    if isinstance(value, str):
        return neutralise(value)
    return value


def split_long(text: str, limit: int = EXCEL_MAX_CHARS) -> list[str]:
    """``text`` in parts that each fit in a cell, each part after the first marked, none lost.

    A part that continues reads ``[2/3] …``; the first ends with ``[1/3 →]``.
    """
    if len(text) <= limit:
        return [text]
    room = limit - 16  # room for the markers
    parts = [text[i:i + room] for i in range(0, len(text), room)]
    count = len(parts)
    return [(f"[{n}/{count}] " if n > 1 else "") + part + (f" [{n}/{count} →]" if n < count else "")
            for n, part in enumerate(parts, start=1)]
