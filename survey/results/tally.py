"""The SQL behind the results: sums of the counts kept as answers arrive.

Every question of a form is counted by one GROUP BY over ``answer_counts``,
a cross-tabulation by one over ``answer_pair_counts`` (``survey.results.models``,
kept by ``survey.results.counts``): a few rows per question, choice and day,
never one per answer. Python only sees the summed rows.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select

from ..db import db
from .models import AnswerCount, AnswerPairCount
from .scope import Scope


@dataclass(frozen=True)
class Group:
    """Rows of the answer table that share a position, a value and whether text was given."""

    position: int
    value: str | None
    count: int
    texts: int
    total: float | None

    @property
    def blanks(self) -> int:
        """Rows with no value and no text: the question was asked and skipped."""
        return self.count - self.texts if self.value is None else 0


@dataclass
class Tally:
    """One question's aggregated rows (within one group of respondents)."""

    groups: list[Group] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return sum(g.blanks for g in self.groups)

    @property
    def answered(self) -> int:
        """Respondents who answered: a list answer's first item, or a scalar answer."""
        return sum(g.count - g.blanks for g in self.groups if g.position <= 1)

    def count(self, value: str, *, positions: range | None = None) -> int:
        return sum(g.count for g in self.groups if g.value == value
                   and (positions is None or g.position in positions))

    def weighted(self, value: str, weight: Callable[[int], float]) -> float:
        return sum(g.count * weight(g.position) for g in self.groups if g.value == value)

    def numbers(self) -> tuple[int, float]:
        """How many numbers, and their sum."""
        found = [g for g in self.groups if g.total is not None]
        return sum(g.count for g in found), sum(g.total or 0.0 for g in found)


def _rows(query: Select[Any]) -> Any:
    """Plain Core rows: no ORM loading for aggregated columns."""
    return db.session.connection().execute(query)


def _sums(counts: Any) -> tuple[Any, ...]:
    return (counts.value, counts.position, func.sum(counts.answers).label("n"),
            func.sum(counts.texts).label("texts"), func.max(counts.number).label("number"))


def _group(row: Any) -> Group:
    total = row.n * row.number if row.number is not None else None
    return Group(row.position, row.value or None, row.n, row.texts, total)


def tally(scope: Scope, question: str | None = None) -> dict[str, Tally]:
    """Every question of the form (or only ``question``), counted in one query."""
    query = scope.on_counts(select(AnswerCount.question, *_sums(AnswerCount)), AnswerCount)
    if question is not None:
        query = query.where(AnswerCount.question == question)
    found: dict[str, Tally] = defaultdict(Tally)
    for row in _rows(query.group_by(AnswerCount.question, AnswerCount.value, AnswerCount.position)):
        found[row.question].groups.append(_group(row))
    return found


def group_sizes(scope: Scope, by: str) -> dict[str | None, int]:
    """Respondents per answer to the select_one question ``by``; None: no answer.

    Those with no row for ``by`` (not relevant) are the respondents not counted.
    """
    query = scope.on_counts(select(AnswerCount.value, func.sum(AnswerCount.answers)), AnswerCount)
    query = query.where(AnswerCount.question == by, AnswerCount.position == 0)
    found: dict[str | None, int] = {
        value or None: count for value, count in _rows(query.group_by(AnswerCount.value))}
    missing = scope.respondents() - sum(found.values())
    if missing > 0:
        found[None] = found.get(None, 0) + missing
    return found


def cross_tally(scope: Scope, question: str, by: str) -> dict[str | None, Tally]:
    """One question counted within each answer to ``by`` (None: no answer to ``by``).

    Only answers to ``by`` are kept in pairs; the rest, those who skipped
    ``by`` or were not asked it, are the question's own counts less the pairs.
    """
    query = scope.on_counts(select(AnswerPairCount.by_value, *_sums(AnswerPairCount)),
                            AnswerPairCount)
    query = query.where(AnswerPairCount.by_question == by, AnswerPairCount.question == question)
    found: dict[str | None, Tally] = defaultdict(Tally)
    grouped = query.group_by(AnswerPairCount.by_value, AnswerPairCount.value, AnswerPairCount.position)
    for row in _rows(grouped):
        found[row.by_value].groups.append(_group(row))
    rest = _less(tally(scope, question).get(question, Tally()).groups,
                 (g for t in found.values() for g in t.groups))
    if rest:
        found[None] = Tally(rest)
    return found


def _less(whole: list[Group], parts: Iterable[Group]) -> list[Group]:
    """The groups of ``whole`` less the counts of ``parts``, those left with none dropped."""
    taken: dict[tuple[int, str | None], list[Any]] = defaultdict(lambda: [0, 0, 0.0])
    for part in parts:
        entry = taken[part.position, part.value]
        entry[0] += part.count
        entry[1] += part.texts
        entry[2] += part.total or 0.0
    left = []
    for group in whole:
        count, texts, total = taken.get((group.position, group.value), (0, 0, 0.0))
        if group.count > count:
            left.append(Group(group.position, group.value, group.count - count, group.texts - texts,
                              None if group.total is None else group.total - total))
    return left


def quartiles(scope: Scope, question: str, n: int) -> tuple[float, float, float]:
    """Lower quartile, median, upper quartile (linear interpolation).

    Python sees one row per distinct number; the ``k``-th number is found by
    running totals.
    """
    query = scope.on_counts(select(AnswerCount.number, func.sum(AnswerCount.answers)), AnswerCount)
    query = query.where(AnswerCount.question == question, AnswerCount.number.is_not(None))
    counts = dict(_rows(query.group_by(AnswerCount.number)).all())
    numbers = sorted(counts)
    ends = list(itertools.accumulate(counts[x] for x in numbers))
    stored = ends[-1] if ends else 0

    def nth(k: int) -> float:
        return numbers[bisect.bisect_right(ends, k)]

    def at(p: float) -> float:
        h = (n - 1) * p
        low = math.floor(h)
        if low + 1 >= stored:
            return nth(low)
        first, second = nth(low), nth(low + 1)
        return first + (h - low) * (second - first)

    return at(0.25), at(0.5), at(0.75)
