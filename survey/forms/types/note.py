"""A note: text shown between questions, with no answer to store, tabulate or export."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from wtforms import Field

from ..definition import Chain, Question
from .base import QuestionType, field_texts, register


class _NoteField(Field):
    def __call__(self, **kwargs: Any) -> Markup:
        return Markup("")


@register
class NoteType(QuestionType):
    name = "note"
    collects_answer = False
    widget = "note"

    def field(self, question: Question, chain: Chain) -> Any:
        return _NoteField(**field_texts(question, chain))

    def clean(self, question: Question, value: Any) -> None:
        return None
