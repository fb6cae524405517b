"""How each question type is written to the Responses sheet: one class per type.

These belong with the question types (``survey/forms/types.py``), each as a
``columns``/``put`` pair; until they move there, ``COLUMN_WRITERS`` maps a
type name to its writer.

A writer says which columns its question takes (headers in a language of the
form, or codes) and puts one answer row into a submission's row of cells.
Labels are made safe once, when the writer is bound; only participant text
is made safe per cell.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..forms.definition import Form, Question
from ..results.quotes import redact
from .cells import neutralise, split_long

CODES = "codes"

Put = Callable[[list[Any], int, str | None, float | None, str | None, "RowContext"], None]


@dataclass
class RowContext:
    """What a writer may need about the submission whose row is being filled."""

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


class ColumnWriter:
    """One column holding the stored value as it is."""

    finish_lists: ClassVar[bool] = False

    def headers(self, question: Question, labels: Labels) -> list[str]:
        return [labels.question(question)]

    def bind(self, question: Question, labels: Labels) -> Put:
        def put(row: list[Any], at: int, value: str | None, number: float | None,
                text: str | None, context: RowContext) -> None:
            if value is not None:
                row[at] = neutralise(value)
        return put


class SelectOneWriter(ColumnWriter):
    def bind(self, question: Question, labels: Labels) -> Put:
        shown = labels.choices(question)

        def put(row: list[Any], at: int, value: str | None, number: float | None,
                text: str | None, context: RowContext) -> None:
            if value is not None:
                row[at] = shown.get(value) or neutralise(value)
        return put


class SelectMultipleWriter(ColumnWriter):
    """A joined column ("a; b"), then a 0/1 column per choice."""

    finish_lists = True

    def headers(self, question: Question, labels: Labels) -> list[str]:
        choices = labels.choices(question)
        return [labels.question(question)] + [
            labels.part(question, choices[c.value], c.value) for c in question.choices]

    def bind(self, question: Question, labels: Labels) -> Put:
        shown = labels.choices(question)
        index = {c.value: i for i, c in enumerate(question.choices, start=1)}
        width = len(question.choices)

        def put(row: list[Any], at: int, value: str | None, number: float | None,
                text: str | None, context: RowContext) -> None:
            if value is None or value not in index:
                return
            if row[at] is None:
                row[at] = []
                row[at + 1:at + 1 + width] = [0] * width
            row[at].append(shown[value])
            row[at + index[value]] = 1
        return put


class RankWriter(ColumnWriter):
    """One column per position: the item ranked 1st, 2nd, …"""

    def positions(self, question: Question) -> int:
        return int(question.options.get("rank_count") or len(question.choices))

    def headers(self, question: Question, labels: Labels) -> list[str]:
        return [labels.part(question, str(p), str(p)) for p in range(1, self.positions(question) + 1)]

    def bind(self, question: Question, labels: Labels) -> Put:
        shown = labels.choices(question)
        count = self.positions(question)

        def put(row: list[Any], at: int, value: str | None, number: float | None,
                text: str | None, context: RowContext) -> None:
            position = int(number or 0)
            if value is not None and 1 <= position <= count:
                row[at + position - 1] = shown.get(value) or neutralise(value)
        return put


class IntegerWriter(ColumnWriter):
    def bind(self, question: Question, labels: Labels) -> Put:
        def put(row: list[Any], at: int, value: str | None, number: float | None,
                text: str | None, context: RowContext) -> None:
            if number is not None:
                row[at] = int(number)
        return put


class DecimalWriter(ColumnWriter):
    def bind(self, question: Question, labels: Labels) -> Put:
        def put(row: list[Any], at: int, value: str | None, number: float | None,
                text: str | None, context: RowContext) -> None:
            row[at] = number
        return put


class DateWriter(ColumnWriter):
    def bind(self, question: Question, labels: Labels) -> Put:
        def put(row: list[Any], at: int, value: str | None, number: float | None,
                text: str | None, context: RowContext) -> None:
            if value is not None:
                row[at] = datetime.date.fromisoformat(value)
        return put


class TextWriter(ColumnWriter):
    """Free text only where she agreed to be quoted, phone and ID numbers removed.

    Text longer than a cell holds is split: the first part here, the rest on
    the Long texts sheet, each part marked.
    """

    def bind(self, question: Question, labels: Labels) -> Put:
        header = labels.question(question)

        def put(row: list[Any], at: int, value: str | None, number: float | None,
                text: str | None, context: RowContext) -> None:
            if text is None:
                return
            if not context.quotable:
                row[at] = context.not_quotable
                return
            parts = split_long(neutralise(redact(text)))
            row[at] = parts[0]
            if len(parts) > 1:
                context.long_texts.append((header, parts[1:]))
        return put


COLUMN_WRITERS: Mapping[str, ColumnWriter] = {
    "select_one": SelectOneWriter(),
    "select_multiple": SelectMultipleWriter(),
    "rank": RankWriter(),
    "integer": IntegerWriter(),
    "decimal": DecimalWriter(),
    "date": DateWriter(),
    "text": TextWriter(),
    "long_text": TextWriter(),
}
