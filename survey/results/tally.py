"""The SQL behind the results: GROUP BY over the answer table, never answers in Python.

One query counts every question of a form at once; a cross-tabulation adds
the grouping question's answer as one more GROUP BY column. Python only sees
the aggregated rows: a few per choice, not one per answer.
"""

from __future__ import annotations

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


def _grouped(scope: Scope, *extra: Any) -> tuple[Select[Any], list[Any]]:
    """Rows counted by question, value and position: the order of the (question, value) index."""
    columns = [Answer.question, Answer.value, Answer.position, func.count().label("n"),
               func.count(Answer.text).label("texts"), func.sum(Answer.number).label("total")]
    query = select(*extra, *columns).join(Submission, Submission.id == Answer.submission_id)
    return query.where(*scope.conditions()), [*extra, Answer.question, Answer.value, Answer.position]


def _rows(query: Select[Any]) -> Any:
    """Plain Core rows: no ORM loading for aggregated columns."""
    return db.session.connection().execute(query)


def tally(scope: Scope) -> dict[str, Tally]:
    """Every question of the form, counted in one query."""
    query, keys = _grouped(scope)
    found: dict[str, Tally] = defaultdict(Tally)
    for row in _rows(query.group_by(*keys)):
        found[row.question].groups.append(Group(row.position, row.value, row.n, row.texts, row.total))
    return found


def group_sizes(scope: Scope, by: str) -> dict[str | None, int]:
    """Respondents per answer to the select_one question ``by``; None: no answer."""
    grouping = aliased(Answer)
    query = (select(grouping.value, func.count())
             .select_from(Submission)
             .outerjoin(grouping, and_(grouping.submission_id == Submission.id,
                                       grouping.question == by, grouping.position == 0))
             .where(*scope.conditions()).group_by(grouping.value))
    return {value: count for value, count in _rows(query)}


def cross_tally(scope: Scope, question: str, by: str) -> dict[str | None, Tally]:
    """One question counted within each answer to ``by`` (None: no answer to ``by``)."""
    grouping = aliased(Answer)
    query, keys = _grouped(scope, grouping.value.label("grp"))
    query = query.outerjoin(grouping, and_(grouping.submission_id == Answer.submission_id,
                                           grouping.question == by, grouping.position == 0))
    query = query.where(Answer.question == question)
    found: dict[str | None, Tally] = defaultdict(Tally)
    for row in _rows(query.group_by(*keys)):
        found[row.grp].groups.append(Group(row.position, row.value, row.n, row.texts, row.total))
    return found


def quartiles(scope: Scope, question: str, n: int) -> tuple[float, float, float]:
    """Lower quartile, median, upper quartile (linear interpolation), in SQL by offset."""
    ordered = (select(Answer.number).join(Submission, Submission.id == Answer.submission_id)
               .where(*scope.conditions(), Answer.question == question, Answer.number.is_not(None))
               .order_by(Answer.number))

    def at(p: float) -> float:
        h = (n - 1) * p
        low = math.floor(h)
        values = list(db.session.scalars(ordered.limit(2).offset(low)))
        if len(values) == 1:
            return values[0]
        return values[0] + (h - low) * (values[1] - values[0])

    return at(0.25), at(0.5), at(0.75)
