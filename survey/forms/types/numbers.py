"""Whole and decimal numbers, typed in any script's digits; summarised by mean and quartiles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...export.columns import Labels, Put, RowContext
from ...i18n import N_
from ...results.tables import NumberResult, QuestionResult, Stats
from ...results.tabulators import Context
from ...results.tally import Tally, quartiles
from ..definition import Chain, Question
from . import checks
from .base import AnswerRow, QuestionType, ReadingField, field_texts, register


MAX_WHOLE = 10**15
"""The largest whole number an answer may be: exact as a float, and short enough to store."""
WHOLE = r"[+-]?[0-9]+"
DECIMAL = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"


class NumberType(QuestionType):
    """What whole and decimal numbers share: typed in any script's digits (25, ๒๕, ၂၅), thousands
    commas ignored, nothing else (no ``1_000``, ``inf`` or ``0x10``); summarised by mean and quartiles."""

    crossable = True
    widget = "number"
    whole: bool
    message: str
    inputmode: str

    def reading(self, question: Question) -> dict[str, Any]:
        limit = {"max": MAX_WHOLE} if self.whole else {"decimal": True}
        return checks.reading(ignore=",", digits=True, pattern=WHOLE if self.whole else DECIMAL, number=True,
                              inputmode=self.inputmode, message=self.message, **limit)

    def checks(self, question: Question) -> list[dict[str, Any]]:
        return [{"check": "number", "whole": self.whole, "max": MAX_WHOLE, "message": self.message}]

    def field(self, question: Question, chain: Chain) -> Any:
        return ReadingField(
            **field_texts(question, chain), language=chain[0], reading=self.reading(question),
            render_kw={"inputmode": self.inputmode, "autocomplete": "off"},
        )

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        n, total = data.numbers()
        stats = None
        if n >= context.rule.k:
            stats = Stats(n, total / n, *quartiles(context.scope, question.name, n))
        return NumberResult(question, context.label(question), context.presence(data), stats)

    def cross_rows(self, question: Question, context: Context) -> list[tuple[str, str]]:
        return [("n", "n")]

    def cross_count(self, question: Question, data: Tally, code: str) -> int:
        return data.numbers()[0]

    def cross_measure(self, question: Question) -> str:
        return "mean"

    def cross_means(self, question: Question, groups: Sequence[Tally], k: int) -> tuple[float | None, ...]:
        return tuple(_mean(data, k) for data in groups)


def _mean(data: Tally, k: int) -> float | None:
    n, total = data.numbers()
    return total / n if n >= k else None


@register
class IntegerType(NumberType):
    name = "integer"
    whole = True
    message = N_("Enter a whole number, like 25.")
    inputmode = "numeric"

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(0, str(value), float(value))]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return int(rows[0].value or 0)

    def export_put(self, question: Question, labels: Labels) -> Put:
        def put(row: list[Any], at: int, answer: int, context: RowContext) -> None:
            row[at] = int(answer)
        return put


@register
class DecimalType(NumberType):
    name = "decimal"
    whole = False
    message = N_("Enter a number, like 2.5.")
    inputmode = "decimal"

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(0, repr(float(value)), float(value))]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return float(rows[0].value or 0)

    def export_put(self, question: Question, labels: Labels) -> Put:
        def put(row: list[Any], at: int, answer: float, context: RowContext) -> None:
            row[at] = float(answer)
        return put
