"""What every question type is, with the defaults a type overrides; the registry.

A type owns everything about its questions: the extra config keys it takes,
its WTForms field, how an answer is checked and stored as rows of the answer
table, how the answers are tabulated and cross-tabulated, and how they are
written to the Responses sheet of the workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from wtforms import Field, StringField

from ...export.cells import neutralise
from ...export.columns import Labels, Put, RowContext
from ...i18n import gettext_in
from ...results.tables import QuestionResult
from ...results.tabulators import Context
from ...results.tally import Tally
from ..definition import Chain, Question
from . import checks
from .errors import AnswerError


@dataclass(frozen=True)
class AnswerRow:
    """One row of the answer table: a scalar answer has one, a list one per item."""

    position: int
    value: str | None
    number: float | None = None
    text: str | None = None
    original_text: str | None = None
    flags: str | None = None


def normalise_text(text: str) -> str:
    return checks.trim(text)


class QuestionType:
    name: ClassVar[str]
    collects_answer: ClassVar[bool] = True
    has_choices: ClassVar[bool] = False
    options: ClassVar[dict[str, type]] = {}
    # Cross-tabulation: whether this type's answers are, or can group, its rows.
    crossable: ClassVar[bool] = False
    groups_crosstab: ClassVar[bool] = False
    crosstab_columns_add_up: ClassVar[bool] = False
    # The widget that shows it, on the web form and the tablet (static/offline/questions.js).
    widget: ClassVar[str]

    # --- config, form and storage -----------------------------------------

    def validate_options(self, question: Question) -> str | None:
        """An error message about the question's type-specific config, if any."""
        return None

    def field(self, question: Question, chain: Chain) -> Any:
        raise NotImplementedError

    def checks(self, question: Question) -> list[dict[str, Any]]:
        """What an answer must pass, as data (see ``checks``): the server and the tablet both run it."""
        return []

    def reading(self, question: Question) -> dict[str, Any] | None:
        """How the widget's typed text becomes an answer, as data, for widgets that read text."""
        return None

    def client(self, question: Question) -> dict[str, Any]:
        """What the tablet needs to show, read and check an answer."""
        return {"widget": self.widget, "collects": self.collects_answer, "read": self.reading(question),
                "checks": self.checks(question)}

    def clean(self, question: Question, value: Any) -> Any:
        """Check a JSON-like answer and return it in canonical form."""
        return checks.run(self.checks(question), value)

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(0, str(value))]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return rows[0].value

    # --- results ------------------------------------------------------------

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        return QuestionResult(question, context.label(question), context.presence(data))

    def cross_rows(self, question: Question, context: Context) -> list[tuple[str, str]]:
        """(code, label) of the rows of a cross-tabulation."""
        return list(context.choice_labels(question).items())

    def cross_count(self, question: Question, data: Tally, code: str) -> int:
        return data.count(code)

    def cross_measure(self, question: Question) -> str:
        return ""

    def cross_means(self, question: Question, groups: Sequence[Tally], k: int) -> tuple[float | None, ...]:
        """A mean per column of a cross-tabulation, for types that have one."""
        return ()

    # --- export -------------------------------------------------------------

    def export_headers(self, question: Question, labels: Labels) -> list[str]:
        return [labels.question(question)]

    def export_put(self, question: Question, labels: Labels) -> Put:
        """What puts one answer into a submission's row; labels made safe once, here."""
        def put(row: list[Any], at: int, answer: Any, context: RowContext) -> None:
            row[at] = neutralise(str(answer))
        return put


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    QUESTION_TYPES[cls.name] = cls()
    return cls


# --- shared by the fields -----------------------------------------------------
# Fields only turn posted strings into JSON-like values; ``clean`` judges them.


class TranslatingField(Field):
    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language


class ReadingField(TranslatingField, StringField):
    """Typed text read as its type's ``reading()`` says, the way the tablet reads it."""

    def __init__(self, *args: Any, reading: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reading = reading

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if valuelist:
            try:
                self.data = checks.read(self.reading, valuelist[0])
            except ValueError:
                raise ValueError(gettext_in(self.language, self.reading["message"])) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


def field_texts(question: Question, chain: Chain) -> dict[str, str]:
    hint = question.hint.in_language(chain) if question.hint else ""
    return {"label": question.label.in_language(chain), "description": hint}


def labelled_choices(question: Question, chain: Chain) -> list[tuple[str, str]]:
    return [(c.value, c.label.in_language(chain)) for c in question.choices]
