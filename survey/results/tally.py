"""The SQL behind the results: GROUP BY over the answer table, never answers in Python.

One query counts every question of a form at once; a cross-tabulation adds
the grouping question's answer as one more GROUP BY column. Python only sees
the aggregated rows: a few per choice, not one per answer.

The answer table repeats ``form_id`` and ``organisation_id``, so every count
reads covering indexes of the answer table alone (``submissions`` is joined
only for a date range, and to drive a cross-tabulation).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased

from ..collect.models import Answer, Submission
from ..db import db
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


def _counted(scope: Scope, query: Select[Any]) -> Select[Any]:
    """``query`` over the answers in ``scope``: a range of ``ix_answers_tally``, no join."""
    return scope.on_answers(query)


def _rows(query: Select[Any]) -> Any:
    """Plain Core rows: no ORM loading for aggregated columns."""
    return db.session.connection().execute(query)


def _texts(scope: Scope, *extra: Any, join: Callable[[Select[Any]], Select[Any]] | None = None,
           question: str | None = None) -> dict[tuple[Any, ...], int]:
    """Rows with text, by (*extra, question, value, position): a partial index, few rows."""
    query = select(*extra, Answer.question, Answer.value, Answer.position, func.count())
    if join is not None:
        query = join(query)
    query = _counted(scope, query.where(Answer.text.is_not(None)))
    if question is not None:
        query = query.where(Answer.question == question)
    keys = [*extra, Answer.question, Answer.value, Answer.position]
    return {tuple(row[:-1]): row[-1] for row in _rows(query.group_by(*keys))}


def tally(scope: Scope) -> dict[str, Tally]:
    """Every question of the form, counted in one query (text answers counted in a second)."""
    query = _counted(scope, select(Answer.question, Answer.value, Answer.position,
                                   func.count().label("n"), func.sum(Answer.number).label("total")))
    texts = _texts(scope)
    found: dict[str, Tally] = defaultdict(Tally)
    for row in _rows(query.group_by(Answer.question, Answer.value, Answer.position)):
        found[row.question].groups.append(Group(
            row.position, row.value, row.n, texts.get((row.question, row.value, row.position), 0),
            row.total))
    return found


def _grouping_rows(scope: Scope, by: str) -> Select[Any]:
    return _counted(scope, select(Answer.value, func.count())
                    .where(Answer.question == by, Answer.position == 0))


def group_sizes(scope: Scope, by: str) -> dict[str | None, int]:
    """Respondents per answer to the select_one question ``by``; None: no answer.

    Those with no row for ``by`` (not relevant) are the respondents not counted.
    """
    found: dict[str | None, int] = {
        value: count for value, count in _rows(_grouping_rows(scope, by).group_by(Answer.value))}
    missing = scope.respondents() - sum(found.values())
    if missing > 0:
        found[None] = found.get(None, 0) + missing
    return found


def cross_tally(scope: Scope, question: str, by: str) -> dict[str | None, Tally]:
    """One question counted within each answer to ``by`` (None: no answer to ``by``).

    Driven by the submissions in scope: each looks up its answer to ``by``
    and its rows for ``question`` in ``ix_answers_submission``, never the
    table; one lookup per submission rather than one per answer row.
    """
    grouping = aliased(Answer)

    def join(query: Select[Any]) -> Select[Any]:
        return query.select_from(Answer).outerjoin(grouping, and_(
            grouping.form_id == Answer.form_id, grouping.organisation_id == Answer.organisation_id,
            grouping.submission_id == Answer.submission_id,
            grouping.question == by, grouping.position == 0))

    query = (select(grouping.value.label("grp"), Answer.value, Answer.position,
                    func.count().label("n"), func.sum(Answer.number).label("total"))
             .select_from(Submission)
             .outerjoin(grouping, and_(
                 grouping.form_id == Submission.form_id,
                 grouping.organisation_id == Submission.organisation_id,
                 grouping.submission_id == Submission.id,
                 grouping.question == by, grouping.position == 0))
             .join(Answer, and_(
                 Answer.form_id == Submission.form_id,
                 Answer.organisation_id == Submission.organisation_id,
                 Answer.submission_id == Submission.id, Answer.question == question))
             .where(*scope.conditions()))
    texts = _texts(scope, grouping.value, join=join, question=question)
    found: dict[str | None, Tally] = defaultdict(Tally)
    for row in _rows(query.group_by(grouping.value, Answer.value, Answer.position)):
        found[row.grp].groups.append(Group(
            row.position, row.value, row.n, texts.get((row.grp, question, row.value, row.position), 0),
            row.total))
    return found


def quartiles(scope: Scope, question: str, n: int) -> tuple[float, float, float]:
    """Lower quartile, median, upper quartile (linear interpolation).

    The numbers are counted in SQL (in index order, no sort), so Python sees
    one row per distinct number; the ``k``-th number is found by running totals.
    """
    query = _counted(scope, select(Answer.number, func.count())
                     .where(Answer.question == question, Answer.number.is_not(None)))
    counts: dict[float, int] = defaultdict(int)
    for number, count in _rows(query.group_by(Answer.value, Answer.position, Answer.number)):
        counts[number] += count
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
