"""Dates: ISO in storage, counted by month in results, real dates in Excel."""

from __future__ import annotations

import datetime
from typing import Any

from wtforms.widgets import DateInput

from ...export.columns import Labels, Put, RowContext
from ...i18n import N_
from ...results.disclosure import cells
from ...results.tables import ChoiceResult, Line, QuestionResult
from ...results.tabulators import Context
from ...results.tally import Tally
from ..definition import Chain, Question
from . import checks
from .base import QuestionType, ReadingField, field_texts, register


DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
MESSAGE = N_("Enter a date like 2024-03-31.")


class DateAnswerField(ReadingField):
    widget = DateInput()


@register
class DateType(QuestionType):
    name = "date"
    widget = "date"

    def reading(self, question: Question) -> dict[str, Any]:
        return checks.reading(pattern=DATE, message=MESSAGE)

    def checks(self, question: Question) -> list[dict[str, Any]]:
        return [{"check": "pattern", "pattern": DATE, "message": MESSAGE}, {"check": "calendar", "message": MESSAGE}]

    def field(self, question: Question, chain: Chain) -> Any:
        return DateAnswerField(**field_texts(question, chain), language=chain[0], reading=self.reading(question))

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        """Dates counted by month: a day could point at one person."""
        ordered = sorted({group.value[:7] for group in data.groups if group.value})
        counts = [data.count_where(lambda group, month=month: (group.value or "")[:7] == month)
                  for month in ordered]
        base = context.presence(data)
        line = cells(counts, base.answered, context.rule, additive=True)
        return ChoiceResult(question, context.label(question), base,
                            tuple(Line(m, m, cell) for m, cell in zip(ordered, line, strict=True)))

    def export_put(self, question: Question, labels: Labels) -> Put:
        def put(row: list[Any], at: int, answer: str, context: RowContext) -> None:
            row[at] = datetime.date.fromisoformat(answer)
        return put
