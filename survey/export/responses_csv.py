"""The Responses as one CSV file: UTF-8 with a byte-order mark, so Excel reads Thai and Burmese.

The same rows as the workbook's Responses sheet, header on the first line, each
long text whole in its cell. A text a spreadsheet could take for a formula
starts with an apostrophe, as Excel itself writes such a text.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from typing import Any

from ..results.scope import Scope
from .cells import join_long
from .responses import layout, rows

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A writer's target that hands back the line just written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def take(self) -> str:
        found, self.text = self.text, ""
        return found


def csv_lines(scope: Scope, language: str) -> Iterator[str]:
    """The file's text, a line at a time (streamed: one batch of submissions in memory)."""
    shape = layout(scope, language)
    line = _Line()
    writer = csv.writer(line)
    writer.writerow([_cell(header) for header in shape.headers])
    yield BOM + line.take()
    overflow: list[tuple[int, str, list[str]]] = []
    for row in rows(scope, language, shape, overflow):
        for _, header, parts in overflow:
            at = shape.headers.index(header)
            row[at] = join_long([row[at], *parts])
        overflow.clear()
        writer.writerow([_cell(value) for value in row])
        yield line.take()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value
