"""Judge a set of answers against a form: skip logic, required, types, constraints.

The same rules apply to a page posted from the browser, to the final
submission, and to records synced from a tablet.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_
from .definition import Form, Question, Text
from .types import AnswerError


class ConstraintError(AnswerError):
    """A failed constraint: its message is the form's own translated text."""

    def __init__(self, message: Text, form: Form) -> None:
        super().__init__("constraint")
        self.text = message
        self.form = form

    def translated(self, language: str) -> str:
        return self.form.text(self.text, language)


@dataclass
class Validation:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, AnswerError] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unknown


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def validate(
    form: Form, answers: Mapping[str, Any], only: Collection[str] | None = None
) -> Validation:
    """Check ``answers`` in form order; questions not relevant are dropped.

    With ``only``, just those questions are checked; other answers are taken
    as already valid (earlier pages of the same interview).
    """
    result = Validation()
    names = set()
    for section in form.sections:
        section_relevant = section.relevant is None or section.relevant.is_true(result.answers)
        for question in section.questions:
            names.add(question.name)
            if not question.collects_answer or not section_relevant:
                continue
            if question.relevant and not question.relevant.is_true(result.answers):
                continue
            value = answers.get(question.name)
            if only is not None and question.name not in only:
                if question.name in answers:
                    result.answers[question.name] = value
                continue
            try:
                result.answers[question.name] = check(form, question, value, result.answers)
            except AnswerError as error:
                result.errors[question.name] = error
    result.unknown = [name for name in answers if name not in names]
    return result


def check(form: Form, question: Question, value: Any, earlier: Mapping[str, Any]) -> Any:
    """One answer, cleaned; raises ``AnswerError``."""
    if is_blank(value):
        if question.required:
            raise AnswerError(N_("Please answer this question."))
        return None
    value = question.type.clean(question, value)
    if question.constraint and not question.constraint.is_true(earlier, current=value):
        raise ConstraintError(question.constraint_message or Text({}), form)
    return value
