"""The SQL behind the results: sums of the counts kept as answers arrive.

Every question of a form is counted by one GROUP BY over ``answer_counts``,
a cross-tabulation by one over ``answer_pair_counts`` (``survey.results.models``,
kept by ``survey.results.counts``): a few rows per question, choice and day,
never one per answer. Python only sees the summed rows.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select

from ..db import db
from .models import AnswerCount, AnswerPairCount
from .perturbation import perturb
from .scope import Scope


@dataclass(frozen=True)
class Group:
    """Rows of the answer table that share a position, a value and whether text was given.

    ``keys`` is the sum of the record keys of the rows, ``text_keys`` of those
    that gave text: what their published counts are perturbed by.
    """

    position: int
    value: str | None
    count: int
    texts: int
    number: float | None = None
    keys: int = 0
    text_keys: int = 0
    organisation: int = 0

    @property
    def blanks(self) -> int:
        """Rows with no value and no text: the question was asked and skipped."""
        return self.count - self.texts if self.value is None else 0

    @property
    def blank_keys(self) -> int:
        return self.keys - self.text_keys if self.value is None else 0


@dataclass
class Tally:
    """One question's aggregated rows (within one group of respondents).

    Every count it gives is published: perturbed by the cell-key method
    (``survey.results.perturbation``) from the true count and key sum of the
    people it counts, in the scope's withdrawal ``epoch``.
    """

    groups: list[Group] = field(default_factory=list)
    epoch: int = 0

    def _perturb(self, parts: Iterable[tuple[int, int, int]]) -> int:
        """Each organisation's ``(organisation, count, keys)`` perturbed on its own, then added:
        pooled less one organisation's own published count is the others' published counts."""
        sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for organisation, count, keys in parts:
            entry = sums[organisation]
            entry[0], entry[1] = entry[0] + count, entry[1] + keys
        return sum(perturb(count, keys, self.epoch) for count, keys in sums.values())

    @property
    def skipped(self) -> int:
        return self._perturb((g.organisation, g.blanks, g.blank_keys) for g in self.groups)

    @property
    def answered(self) -> int:
        """Respondents who answered: a list answer's first item, or a scalar answer."""
        return self._perturb((g.organisation, g.count - g.blanks, g.keys - g.blank_keys)
                             for g in self.groups if g.position <= 1)

    def count(self, value: str, *, positions: range | None = None) -> int:
        return self._perturb((g.organisation, g.count, g.keys) for g in self.groups
                             if g.value == value and (positions is None or g.position in positions))

    def count_where(self, keep: Callable[[Group], bool]) -> int:
        """The published count of the rows of the groups ``keep`` accepts (e.g. a month's dates)."""
        return self._perturb((g.organisation, g.count, g.keys) for g in self.groups if keep(g))

    def weighted(self, value: str, weight: Callable[[int], float]) -> float:
        """Sum of ``weight(position)`` over the answers ``value``, from protected counts."""
        return sum(perturb(g.count, g.keys, self.epoch) * weight(g.position)
                   for g in self.groups if g.value == value)

    def numbers(self) -> tuple[int, float]:
        """How many numbers, and their sum: from each number's protected count."""
        found = [(perturb(g.count, g.keys, self.epoch), g.number)
                 for g in self.groups if g.number is not None]
        return sum(n for n, _ in found), sum(n * (number or 0.0) for n, number in found)


def _rows(query: Select[Any]) -> Any:
    """Plain Core rows: no ORM loading for aggregated columns."""
    return db.session.connection().execute(query)


def _sums(counts: Any) -> tuple[Any, ...]:
    return (counts.value, counts.position, counts.organisation_id, func.sum(counts.answers).label("n"),
            func.sum(counts.texts).label("texts"), func.max(counts.number).label("number"),
            func.sum(counts.key_sum).label("keys"), func.sum(counts.text_key_sum).label("text_keys"))


def _group(row: Any) -> Group:
    return Group(row.position, row.value or None, row.n, row.texts, row.number,
                 int(row.keys), int(row.text_keys), row.organisation_id)


def tally(scope: Scope, question: str | None = None) -> dict[str, Tally]:
    """Every question of the form (or only ``question``), counted in one query."""
    query = scope.on_counts(select(AnswerCount.question, *_sums(AnswerCount)), AnswerCount)
    if question is not None:
        query = query.where(AnswerCount.question == question)
    epoch = scope.epoch()
    found: dict[str, Tally] = defaultdict(lambda: Tally(epoch=epoch))
    for row in _rows(query.group_by(AnswerCount.question, AnswerCount.value, AnswerCount.position,
                                    AnswerCount.organisation_id)):
        found[row.question].groups.append(_group(row))
    return found


def first_day(form_id: str) -> datetime.date | None:
    """The first day any organisation held an interview of the form (its own day)."""
    return db.session.scalar(select(func.min(AnswerCount.day)).where(AnswerCount.form_id == form_id))


def group_sizes(scope: Scope, by: str) -> dict[str | None, int]:
    """Respondents per answer to the select_one question ``by``; None: no answer.

    The sizes are ``by``'s own published counts, so that a breakdown's groups
    say no more than ``by``'s own table. Those with no row for ``by`` (not
    relevant) are the published respondents less the published groups.
    """
    data = tally(scope, by).get(by, Tally())
    sizes = {value: data.count(value) for value in {g.value for g in data.groups} if value}
    found: dict[str | None, int] = {value: size for value, size in sizes.items() if size > 0}
    if skipped := data.skipped:
        found[None] = skipped
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
    epoch = scope.epoch()
    found: dict[str | None, Tally] = defaultdict(lambda: Tally(epoch=epoch))
    grouped = query.group_by(AnswerPairCount.by_value, AnswerPairCount.value, AnswerPairCount.position,
                             AnswerPairCount.organisation_id)
    for row in _rows(grouped):
        found[row.by_value].groups.append(_group(row))
    rest = _less(tally(scope, question).get(question, Tally()).groups,
                 (g for t in found.values() for g in t.groups))
    if rest:
        found[None] = Tally(rest, epoch)
    return found


def _less(whole: list[Group], parts: Iterable[Group]) -> list[Group]:
    """The groups of ``whole`` less the counts of ``parts``, those left with none dropped."""
    taken: dict[tuple[int, int, str | None], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for part in parts:
        entry = taken[part.organisation, part.position, part.value]
        for i, amount in enumerate((part.count, part.texts, part.keys, part.text_keys)):
            entry[i] += amount
    left = []
    for group in whole:
        count, texts, keys, text_keys = taken.get((group.organisation, group.position, group.value),
                                                  (0, 0, 0, 0))
        if group.count > count:
            left.append(Group(group.position, group.value, group.count - count, group.texts - texts,
                              group.number, group.keys - keys, group.text_keys - text_keys,
                              group.organisation))
    return left


def quartiles(scope: Scope, question: str, n: int) -> tuple[float, float, float]:
    """Lower quartile, median, upper quartile (linear interpolation), of protected counts.

    Python sees one row per distinct number, with its published count; the
    ``k``-th number is found by running totals.
    """
    query = scope.on_counts(select(AnswerCount.number, func.sum(AnswerCount.answers),
                                   func.sum(AnswerCount.key_sum)), AnswerCount)
    query = query.where(AnswerCount.question == question, AnswerCount.number.is_not(None))
    epoch = scope.epoch()
    counts: dict[float, int] = defaultdict(int)
    for number, count, keys in _rows(query.group_by(AnswerCount.number, AnswerCount.organisation_id)):
        counts[number] += perturb(count, int(keys), epoch)
    numbers = sorted(x for x in counts if counts[x] > 0)
    ends = list(itertools.accumulate(counts[x] for x in numbers))
    stored = ends[-1] if ends else 0
    if not stored:
        return math.nan, math.nan, math.nan
    n = min(n, stored)

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
