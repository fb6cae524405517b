"""Dates: ISO in storage, counted by month in results, real dates in Excel."""

from __future__ import annotations

import datetime
from typing import Any

from wtforms import StringField
from wtforms.widgets import DateInput

from ...export.columns import Labels, Put, RowContext
from ...i18n import N_, gettext_in
from ...results.disclosure import cells
from ...results.tables import ChoiceResult, Line, QuestionResult
from ...results.tabulators import Context
from ...results.tally import Tally
from ..definition import Chain, Question
from .base import AnswerError, QuestionType, TranslatingField, field_texts, register


class DateAnswerField(TranslatingField, StringField):
    widget = DateInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = datetime.date.fromisoformat(text).isoformat()
            except ValueError:
                message = N_("Enter a date like 2024-03-31.")
                raise ValueError(gettext_in(self.language, message)) from None


@register
class DateType(QuestionType):
    name = "date"

    def field(self, question: Question, chain: Chain) -> Any:
        return DateAnswerField(**field_texts(question, chain), language=chain[0])

    def clean(self, question: Question, value: Any) -> str:
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise AnswerError(N_("Enter a date like 2024-03-31.")) from None

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
