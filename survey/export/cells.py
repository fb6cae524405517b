"""Spreadsheet cells that hold text exactly as given: never a formula, never an error value.

openpyxl reads a string that starts with ``=`` as a formula and ``#N/A``,
``#DIV/0!`` and the other error codes as error values. A text that Excel,
LibreOffice or a CSV reader could take for a formula or an error (after any
leading spaces it starts with ``= + - @ #``, their full-width forms, or a tab,
CR or LF) is therefore written as an explicit text cell (``t="inlineStr"``)
with Excel's quote prefix set: the cell shows and holds the text unchanged,
and editing it in Excel or LibreOffice keeps it text. Nothing is added to the
text itself. Characters that XML cannot hold are replaced visibly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

EXCEL_MAX_CHARS = 32_767
"""The most characters one Excel cell holds."""

FORMULA_STARTS = frozenset("=+-@#\t\r\n＝＋－＠＃")
_LEADING_SPACES = " \u00a0\u3000"

# What openpyxl (and XML 1.0) refuses: C0 controls other than tab, LF and CR,
# U+FFFE and U+FFFF, and lone surrogates.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    """A control character as its Unicode control picture (U+2400-U+241F), others as U+FFFD."""
    char = match.group()
    return chr(0x2400 + ord(char)) if ord(char) < 0x20 else "\ufffd"


def neutralise(text: str) -> str:
    """The text as a cell can hold it: unchanged but for characters XML cannot hold."""
    return _ILLEGAL.sub(_visible, text)


def safe(value: Any) -> Any:
    """A cell value: numbers and dates as they are, text neutralised."""
    if isinstance(value, str):
        return neutralise(value)
    return value


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula or an error value."""
    return text.lstrip(_LEADING_SPACES)[:1] in FORMULA_STARTS and text != ""


def text_cell(ws: WriteOnlyWorksheet, text: str, **style: Any) -> WriteOnlyCell:
    """A cell that holds ``text`` as text, whatever it starts with."""
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = TYPE_STRING
    if looks_like_formula(text):
        cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def as_text_cells(ws: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """A row ready for ``ws.append``: each text that could be read as anything but text
    becomes a text cell; other values stay as they are (so the row stays cheap)."""
    return [text_cell(ws, value) if value.__class__ is str and looks_like_formula(value)
            else value for value in values]


def join_long(parts: list[str]) -> str:
    """The text ``split_long`` split into ``parts``, its markers taken off."""
    count, found = len(parts), []
    for n, part in enumerate(parts, start=1):
        if n > 1:
            part = part.removeprefix(f"[{n}/{count}] ")
        if n < count:
            part = part.removesuffix(f" [{n}/{count} →]")
        found.append(part)
    return "".join(found)


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
