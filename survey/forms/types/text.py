"""Free text, short and long: stored in Unicode and flagged, quoted only with consent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import TextAreaField

from ...consent.pii import redact, scan
from ...export.cells import neutralise, split_long
from ...export.columns import Labels, Put, RowContext
from ...i18n import N_
from ...i18n.zawgyi import clean_text
from ...results.quotes import quotes
from ...results.tables import QuestionResult, TextResult
from ...results.tabulators import Context
from ...results.tally import Tally
from ..definition import Chain, Question
from . import checks
from .base import AnswerRow, QuestionType, ReadingField, field_texts, register

MAX_TEXT = 2000
MAX_LONG_TEXT = 20000


class LongTextAnswerField(ReadingField, TextAreaField):
    pass


@register
class TextType(QuestionType):
    """Counted, never cross-tabulated; quoted only with consent, in her organisation."""

    name = "text"
    widget = "line"
    max_length = MAX_TEXT

    def field(self, question: Question, chain: Chain) -> Any:
        return ReadingField(
            **field_texts(question, chain), language=chain[0], reading=self.reading(question),
            render_kw={"autocomplete": "off", "maxlength": self.max_length},
        )

    def reading(self, question: Question) -> dict[str, Any]:
        return checks.reading(maxlength=self.max_length)

    def checks(self, question: Question) -> list[dict[str, Any]]:
        return [{"check": "string", "message": N_("Expected text.")}, checks.TRIM,
                {"check": "max_length", "max": self.max_length,
                 "message": N_("Keep this under %(max)s characters.")}]

    def rows(self, value: Any) -> list[AnswerRow]:
        """Free text is stored in Unicode (Zawgyi converted, the original kept) and
        flagged for a person to check: converted text, phone and ID numbers."""
        cleaned = clean_text(value)
        flags = scan(cleaned.text) | ({"zawgyi"} if cleaned.converted else set())
        return [AnswerRow(0, None, text=cleaned.text, original_text=cleaned.original,
                          flags=",".join(sorted(flags)) or None)]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return rows[0].text

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        allowed = not context.scope.pooled
        found = tuple(quotes(context.scope, question.name)) if allowed else ()
        return TextResult(question, context.label(question), context.presence(data), found, allowed)

    def export_put(self, question: Question, labels: Labels) -> Put:
        """Only where she agreed to be quoted, phone and ID numbers removed.

        Text longer than a cell holds is split: the first part here, the rest on
        the Long texts sheet, each part marked.
        """
        header = labels.question(question)

        def put(row: list[Any], at: int, answer: str, context: RowContext) -> None:
            if not context.quotable:
                row[at] = context.not_quotable
                return
            parts = split_long(neutralise(redact(answer)))
            row[at] = parts[0]
            if len(parts) > 1:
                context.long_texts.append((header, parts[1:]))
        return put


@register
class LongTextType(TextType):
    name = "long_text"
    widget = "lines"
    max_length = MAX_LONG_TEXT

    def field(self, question: Question, chain: Chain) -> Any:
        return LongTextAnswerField(
            **field_texts(question, chain), language=chain[0], reading=self.reading(question),
            render_kw={"autocomplete": "off", "rows": 5, "maxlength": self.max_length},
        )
