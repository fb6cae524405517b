"""Disclosure control: no published number lets anyone work out who said what.

Three rules, applied to every count before it is shown:

1. *Primary suppression*: a count from 1 to k-1 is shown as ``<k``, with no
   percentage.
2. *Complementary suppression*: where counts add up to a published total
   (the choices of a question add up to the number who answered it; the
   groups of a cross-tabulation add up to the row total), one hidden count
   could be worked out by subtraction. So in every such line the hidden
   counts must be at least two and add up to at least k; while they do not,
   the smallest other non-zero count is hidden as well (shown as ``x``).
   In a cross-tabulation this is repeated over rows and columns until
   nothing changes.
3. *Small groups*: a group (of a cross-tabulation) with fewer than k
   respondents is merged with the other small groups into "Other", and
   "Other" takes the next smallest group until it has k respondents, so no
   group is hidden (a hidden group could be worked out from the total).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask import current_app

from ..forms.definition import Form
from ..i18n import gettext_in



class Status(enum.Enum):
    SHOWN = "shown"
    SMALL = "small"        # primary: 1 to k-1
    PROTECTING = "protecting"  # complementary: hidden so that a small count cannot be derived


@dataclass(frozen=True)
class Rule:
    """The rule in force: counts from 1 to ``k`` - 1 are hidden."""

    k: int

    def describe(self, language: str) -> str:
        return gettext_in(
            language,
            "Counts from 1 to %(below)s are shown as \"<%(k)s\" and their percentages are hidden; "
            "\"x\" hides a further count so that a hidden count cannot be worked out from the totals; "
            "groups with fewer than %(k)s people are merged into \"Other\"; "
            "free-text answers appear only where the participant agreed to be quoted, "
            "with phone and ID numbers removed, and never in pooled results.",
            below=self.k - 1, k=self.k)


def protection(language: str) -> str:
    """What protects a publication, in plain words, in the reader's language."""
    return gettext_in(
        language,
        "Numbers are changed a little, always in the same way for the same people, so that no one "
        "can be picked out, not even by comparing two tables; 1 or 2 people are never shown as such. "
        "Periods are whole months or quarters (UTC days).")


def rule_for(form: Form) -> Rule:
    """k from the form file (``results: {min_cell: 10}``), else ``RESULTS_MIN_CELL_BY_FORM``,
    else ``RESULTS_MIN_CELL`` (5 unless configured)."""
    by_form: Mapping[str, int] = current_app.config.get("RESULTS_MIN_CELL_BY_FORM") or {}
    k = int(form.min_cell or by_form.get(form.id) or current_app.config["RESULTS_MIN_CELL"])
    return Rule(max(k, 1))


@dataclass(frozen=True)
class Cell:
    """A count as published: the number, its percentage, and whether it is hidden."""

    count: int
    percent: float | None = None
    status: Status = Status.SHOWN

    @property
    def hidden(self) -> bool:
        return self.status is not Status.SHOWN

    def display(self, rule: Rule) -> str:
        if self.status is Status.SMALL:
            return f"<{rule.k}"
        if self.status is Status.PROTECTING:
            return "x"
        return str(self.count)

    @property
    def shown_percent(self) -> float | None:
        return None if self.hidden else self.percent

    @property
    def shown_count(self) -> int | None:
        return None if self.hidden else self.count


def small(count: int, rule: Rule) -> bool:
    return 0 < count < rule.k


def protect_line(counts: Sequence[int], hidden: set[int], rule: Rule, *, additive: bool,
                 total_hidden: bool = False) -> set[int]:
    """Indexes to hide in one line of counts, given those already hidden.

    ``additive`` says the line adds up to a total; when that total is
    published the hidden counts need company (rule 2). When the total is
    itself hidden (``total_hidden``), the line must not give it away either:
    it hides counts adding up to at least k even if none is small.
    """
    hidden = hidden | {i for i, count in enumerate(counts) if small(count, rule)}
    if not additive:
        return hidden
    while (hidden or total_hidden) and (
            len(hidden) < 2 or sum(counts[i] for i in hidden) < rule.k):
        candidates = [i for i, count in enumerate(counts) if count > 0 and i not in hidden]
        if not candidates:
            break
        hidden.add(min(candidates, key=lambda i: (counts[i], i)))
    return hidden


def protect_table(matrix: Sequence[Sequence[int]], rule: Rule, *, rows_add_up: bool,
                  columns_add_up: bool, hidden_row_totals: Sequence[bool] = (),
                  hidden_column_totals: Sequence[bool] = ()) -> set[tuple[int, int]]:
    """Cells ``(row, column)`` to hide in a two-way table, until every line is safe."""
    hidden: set[tuple[int, int]] = set()
    width = len(matrix[0]) if matrix else 0
    changed = True
    while changed:
        changed = False
        for r, row in enumerate(matrix):
            now = protect_line(row, {c for (rr, c) in hidden if rr == r}, rule, additive=rows_add_up,
                               total_hidden=_flag(hidden_row_totals, r))
            changed |= _add(hidden, {(r, c) for c in now})
        for c in range(width):
            column = [row[c] for row in matrix]
            now = protect_line(column, {r for (r, cc) in hidden if cc == c}, rule,
                               additive=columns_add_up, total_hidden=_flag(hidden_column_totals, c))
            changed |= _add(hidden, {(r, c) for r in now})
    return hidden


def _flag(flags: Sequence[bool], index: int) -> bool:
    return index < len(flags) and flags[index]


def _add(target: set[tuple[int, int]], cells: set[tuple[int, int]]) -> bool:
    new = cells - target
    target |= new
    return bool(new)


def cells(counts: Sequence[int], total: Cell | int | None, rule: Rule, *, additive: bool) -> list[Cell]:
    """Published cells for one line of counts, with percentages of ``total``.

    ``total`` is the published cell the line adds up to (or the number of
    respondents). When it is hidden, no percentage is shown (it would give
    the total away) and the line is protected as if its total were secret.
    """
    total_hidden = isinstance(total, Cell) and total.hidden
    base = None if total_hidden else (total.count if isinstance(total, Cell) else total)
    hide = protect_line(counts, set(), rule, additive=additive, total_hidden=total_hidden)
    return [_cell(count, base, rule, i in hide) for i, count in enumerate(counts)]


def _cell(count: int, base: int | None, rule: Rule, hide: bool) -> Cell:
    percent = 100.0 * count / base if base else None
    if not hide:
        return Cell(count, percent)
    return Cell(count, percent, Status.SMALL if small(count, rule) else Status.PROTECTING)


def table_cells(matrix: Sequence[Sequence[int]], totals: Sequence[Cell], rule: Rule, *,
                rows_add_up: bool, columns_add_up: bool,
                hidden_row_totals: Sequence[bool] = ()) -> list[list[Cell]]:
    """A protected two-way table; percentages of each column's published total."""
    hide = protect_table(matrix, rule, rows_add_up=rows_add_up, columns_add_up=columns_add_up,
                         hidden_row_totals=hidden_row_totals,
                         hidden_column_totals=[t.hidden for t in totals])
    bases = [None if t.hidden else t.count for t in totals]
    return [[_cell(count, bases[c], rule, (r, c) in hide) for c, count in enumerate(row)]
            for r, row in enumerate(matrix)]


@dataclass(frozen=True)
class Group:
    """A group of respondents in a cross-tabulation: one or more merged answers."""

    codes: tuple[str | None, ...]
    size: int

    @property
    def merged(self) -> bool:
        return len(self.codes) > 1


def merge_small_groups(sizes: Mapping[str | None, int], order: Sequence[str | None],
                       rule: Rule) -> list[Group]:
    """Groups in ``order``; those under k merged into one last group that reaches k.

    An empty group is left out. When all respondents together are fewer
    than k, there is nothing to show and the list is empty.
    """
    present = [code for code in order if sizes.get(code, 0) > 0]
    if sum(sizes[code] for code in present) < rule.k:
        return []
    big = [code for code in present if sizes[code] >= rule.k]
    merged = [code for code in present if sizes[code] < rule.k]
    while merged and sum(sizes[c] for c in merged) < rule.k:
        smallest = min(big, key=lambda c: sizes[c])
        big.remove(smallest)
        merged.append(smallest)
    groups = [Group((code,), sizes[code]) for code in big]
    if merged:
        groups.append(Group(tuple(c for c in order if c in merged), sum(sizes[c] for c in merged)))
    return groups


