"""Choosing from a list: one answer (radio buttons) or several (checkboxes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import RadioField, SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from ...export.cells import neutralise
from ...export.columns import Labels, Put, RowContext
from ...i18n import N_
from ...results.disclosure import cells
from ...results.tables import ChoiceResult, Line, QuestionResult
from ...results.tabulators import Context
from ...results.tally import Tally
from ..definition import Chain, Question
from .base import AnswerRow, QuestionType, field_texts, labelled_choices, register


def _optional_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _select_choices(question: Question, chain: Chain) -> list[SelectChoice]:
    return [SelectChoice(v, label) for v, label in labelled_choices(question, chain)]


@register
class SelectOneType(QuestionType):
    name = "select_one"
    has_choices = True
    crossable = True
    groups_crosstab = True
    crosstab_columns_add_up = True
    multiple = False
    widget = "radio"

    def field(self, question: Question, chain: Chain) -> Any:
        return RadioField(
            **field_texts(question, chain), coerce=_optional_str, validate_choice=False,
            choices=_select_choices(question, chain),
        )

    def checks(self, question: Question) -> list[dict[str, Any]]:
        return [{"check": "one_of", "values": list(question.choice_values),
                 "message": N_("Choose one of the answers shown.")}]

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        base = context.presence(data)
        labels = context.choice_labels(question)
        counts = [data.count(code) for code in labels]
        line = cells(counts, base.answered, context.rule, additive=not self.multiple)
        return ChoiceResult(question, context.label(question), base,
                            tuple(Line(code, labels[code], cell) for code, cell in zip(labels, line, strict=True)),
                            multiple=self.multiple)

    def export_put(self, question: Question, labels: Labels) -> Put:
        shown = labels.choices(question)

        def put(row: list[Any], at: int, answer: str, context: RowContext) -> None:
            row[at] = shown.get(answer) or neutralise(answer)
        return put


@register
class SelectMultipleType(SelectOneType):
    """Exported as a joined column ("a; b"), then a 0/1 column per choice."""

    name = "select_multiple"
    groups_crosstab = False
    crosstab_columns_add_up = False
    multiple = True
    widget = "checkbox"

    def field(self, question: Question, chain: Chain) -> Any:
        return SelectMultipleField(
            **field_texts(question, chain), coerce=str, validate_choice=False,
            choices=_select_choices(question, chain),
            widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        )

    def checks(self, question: Question) -> list[dict[str, Any]]:
        values = list(question.choice_values)
        return [{"check": "list_of", "values": values, "message": N_("Choose from the answers shown.")},
                {"check": "unique", "message": N_("Choose each answer only once.")},
                {"check": "in_order", "values": values}]

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(position, code) for position, code in enumerate(value, start=1)]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return [row.value for row in sorted(rows, key=lambda row: row.position)]

    def export_headers(self, question: Question, labels: Labels) -> list[str]:
        choices = labels.choices(question)
        return [labels.question(question)] + [
            labels.part(question, choices[c.value], c.value) for c in question.choices]

    def export_put(self, question: Question, labels: Labels) -> Put:
        shown = labels.choices(question)
        index = {c.value: i for i, c in enumerate(question.choices)}
        width = len(question.choices)

        def put(row: list[Any], at: int, answer: list[str], context: RowContext) -> None:
            chosen = [code for code in answer if code in index]
            if not chosen:
                return
            row[at] = "; ".join([shown[code] for code in chosen])
            flags = [0] * width
            for code in chosen:
                flags[index[code]] = 1
            row[at + 1:at + 1 + width] = flags
        return put
