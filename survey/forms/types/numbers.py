"""Whole and decimal numbers, typed in any script's digits; summarised by mean and quartiles."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from wtforms import StringField

from ...export.columns import Labels, Put, RowContext
from ...i18n import N_, gettext_in
from ...results.tables import NumberResult, QuestionResult, Stats
from ...results.tabulators import Context
from ...results.tally import Tally, quartiles
from ..definition import Chain, Question
from .base import AnswerError, AnswerRow, QuestionType, TranslatingField, field_texts, register


class NumberAnswerField(TranslatingField, StringField):
    """A number typed in any script's digits: 25, ๒๕ and ၂၅ are all 25."""

    def __init__(self, *args: Any, parse: Callable[[str], Any], message: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.parse = parse
        self.message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip().replace(",", "") if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = self.parse(text)
            except ValueError:
                raise ValueError(gettext_in(self.language, self.message)) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class NumberType(QuestionType):
    """What whole and decimal numbers share: their results."""

    crossable = True

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

    def field(self, question: Question, chain: Chain) -> Any:
        return NumberAnswerField(
            **field_texts(question, chain), language=chain[0], parse=_parse_whole,
            message=N_("Enter a whole number, like 25."),
            render_kw={"inputmode": "numeric", "autocomplete": "off"},
        )

    def clean(self, question: Question, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float) or not _is_whole(value):
            raise AnswerError(N_("Enter a whole number, like 25."))
        return int(value)

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

    def field(self, question: Question, chain: Chain) -> Any:
        return NumberAnswerField(
            **field_texts(question, chain), language=chain[0], parse=_parse_decimal,
            message=N_("Enter a number, like 2.5."),
            render_kw={"inputmode": "decimal", "autocomplete": "off"},
        )

    def clean(self, question: Question, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise AnswerError(N_("Enter a number, like 2.5."))
        return float(value)

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(0, repr(float(value)), float(value))]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return float(rows[0].value or 0)

    def export_put(self, question: Question, labels: Labels) -> Put:
        def put(row: list[Any], at: int, answer: float, context: RowContext) -> None:
            row[at] = float(answer)
        return put


MAX_WHOLE = 10**15
"""The largest whole number an answer may be: exact as a float, and short enough to store."""


def _is_whole(value: int | float) -> bool:
    whole = isinstance(value, int) or (math.isfinite(value) and value.is_integer())
    return whole and abs(value) <= MAX_WHOLE


def _parse_whole(text: str) -> int:
    number = int(text)
    if abs(number) > MAX_WHOLE:
        raise ValueError(text)
    return number


def _parse_decimal(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number
