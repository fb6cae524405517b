"""What a question type needs to write its columns of the Responses sheet.

Each type (``survey/forms/types/``) says which columns its question takes
(``export_headers``: in a language of the form, or codes) and gives a ``Put``
that writes one answer, as it was given, into a submission's row of cells
(``export_put``); it is never called for a blank answer. Labels are made safe
once, when the put is made; only participant text is made safe per cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..forms.definition import Form, Question
from .cells import neutralise

CODES = "codes"

Put = Callable[[list[Any], int, Any, "RowContext"], None]
"""``put(row, at, answer, context)``: fill the question's cells, which start at ``row[at]``."""


@dataclass
class RowContext:
    """What a ``Put`` may need about the submission whose row is being filled."""

    quotable: bool
    not_quotable: str
    long_texts: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Labels:
    """Question and choice labels in one language of the form, or codes; all safe."""

    form: Form
    language: str

    def question(self, question: Question) -> str:
        if self.language == CODES:
            return neutralise(question.name)
        return neutralise(self.form.text(question.label, self.language))

    def choices(self, question: Question) -> dict[str, str]:
        if self.language == CODES:
            return {c.value: neutralise(c.value) for c in question.choices}
        return {c.value: neutralise(self.form.text(c.label, self.language)) for c in question.choices}

    def part(self, question: Question, part: str, code: str) -> str:
        if self.language == CODES:
            return neutralise(f"{question.name}/{code}")
        return neutralise(f"{self.form.text(question.label, self.language)}: {part}")
