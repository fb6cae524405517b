"""Charts as inline SVG, drawn on the server: no JavaScript, work offline, print well.

Only shown counts are drawn; a hidden count has no bar, only its ``<k`` or
``x`` mark, so a chart never reveals what a table hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from markupsafe import Markup, escape

from .disclosure import Cell, Rule
from .tables import RankItem

WIDTH = 600
BAR = 18
LABEL = 20
GAP = 10
ACCENT = "#0b5f8a"
PALE = "#9cc3d8"


class Bar(Protocol):
    label: str
    cell: Cell


def bars(items: Sequence[Bar], rule: Rule, title: str) -> Markup:
    """Horizontal bars of percentages, each labelled above its bar."""
    step = LABEL + BAR + GAP
    height = step * len(items) + GAP
    parts = []
    for i, item in enumerate(items):
        y = GAP + i * step
        parts.append(_label(y, item.label))
        parts.append(_bar(y + LABEL, item.cell, rule, ACCENT))
    return _svg(height, title, parts)


def ranking(items: Sequence[RankItem], rule: Rule, title: str) -> Markup:
    """Ranked priorities: top-three share (pale) with first-place share (dark) over it."""
    step = LABEL + BAR + GAP
    parts = []
    for i, item in enumerate(items):
        y = GAP + i * step
        parts.append(_label(y, f"{i + 1}. {item.label}"))
        parts.append(_bar(y + LABEL, item.top, rule, PALE, show_text=False))
        parts.append(_bar(y + LABEL, item.first, rule, ACCENT, show_text=False))
        parts.append(_value(y + LABEL, item.top, rule, suffix=f" / {item.first.display(rule)}"
                            if item.first.hidden else f" / {_percent(item.first)}"))
    return _svg(step * len(items) + GAP, title, parts)


def _svg(height: int, title: str, parts: list[Markup]) -> Markup:
    return Markup(
        '<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="100%" preserveAspectRatio="xMinYMin meet"><title>{title}</title>{body}</svg>'
    ).format(w=WIDTH, h=height, title=title, body=Markup("").join(parts))


def _label(y: int, text: str) -> Markup:
    return Markup('<text x="0" y="{}" font-size="14" fill="#1d1d1f">{}</text>').format(y + 14, text)


def _percent(cell: Cell) -> str:
    return "" if cell.shown_percent is None else f"{cell.shown_percent:.0f}%"


def _bar(y: int, cell: Cell, rule: Rule, colour: str, show_text: bool = True) -> Markup:
    track = WIDTH - 90
    width = 0 if cell.shown_percent is None else round(track * cell.shown_percent / 100, 1)
    rect = Markup('<rect x="0" y="{}" width="{}" height="{}" fill="{}"></rect>').format(
        y, width, BAR, colour)
    return rect + (_value(y, cell, rule) if show_text else Markup(""))


def _value(y: int, cell: Cell, rule: Rule, suffix: str = "") -> Markup:
    shown = cell.display(rule) if cell.hidden else _percent(cell)
    return Markup('<text x="{}" y="{}" font-size="13" fill="#5a5a66">{}{}</text>').format(
        WIDTH - 85, y + 14, shown, escape(suffix))
