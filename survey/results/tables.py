"""What a result is made of, ready for a page or a sheet: labels and protected cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..forms.definition import Question
from .disclosure import Cell


@dataclass(frozen=True)
class Presence:
    """Of all respondents: who answered, who skipped, to whom it did not apply."""

    answered: Cell
    skipped: Cell
    not_relevant: Cell


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class QuestionResult:
    kind: ClassVar[str] = "presence"
    question: Question
    label: str
    presence: Presence


@dataclass(frozen=True)
class ChoiceResult(QuestionResult):
    kind: ClassVar[str] = "choices"
    lines: tuple[Line, ...] = ()
    multiple: bool = False


@dataclass(frozen=True)
class RankItem:
    code: str
    label: str
    first: Cell
    top: Cell
    mean_rank: float | None
    borda: float | None


@dataclass(frozen=True)
class RankResult(QuestionResult):
    kind: ClassVar[str] = "rank"
    items: tuple[RankItem, ...] = ()
    top: int = 3
    ranked: int = 0


@dataclass(frozen=True)
class Stats:
    n: int
    mean: float
    lower_quartile: float
    median: float
    upper_quartile: float


@dataclass(frozen=True)
class NumberResult(QuestionResult):
    kind: ClassVar[str] = "number"
    stats: Stats | None = None


@dataclass(frozen=True)
class TextResult(QuestionResult):
    kind: ClassVar[str] = "text"
    quotes: tuple[str, ...] = ()
    quotes_allowed: bool = False


@dataclass(frozen=True)
class Column:
    """A group of respondents in a cross-tabulation, and how many of them answered."""

    label: str
    answered: Cell


@dataclass(frozen=True)
class CrossTab:
    question: Question
    label: str
    by: Question
    by_label: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    measure: str = ""
    means: tuple[float | None, ...] = field(default=())


@dataclass(frozen=True)
class Results:
    respondents: int
    questions: tuple[QuestionResult, ...]
    enough: bool

    def of(self, name: str) -> QuestionResult:
        return next(r for r in self.questions if r.question.name == name)
