"""Question types: one class per type, found through ``QUESTION_TYPES``.

A type knows which extra config keys it takes, how to build its WTForms field,
how to check an answer, and how to store it as rows of the answer table.
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from markupsafe import Markup
from wtforms import Field, RadioField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, DateInput, ListWidget

from ..i18n import N_, gettext_in
from ..consent.pii import scan
from ..i18n.zawgyi import clean_text
from .definition import Chain, Question

MAX_TEXT = 2000
MAX_LONG_TEXT = 20000


class AnswerError(ValueError):
    """An answer that its question cannot accept; the message is untranslated."""

    def __init__(self, message: str, **variables: object) -> None:
        super().__init__(message)
        self.message = message
        self.variables = variables

    def translated(self, language: str) -> str:
        return gettext_in(language, self.message, **self.variables)


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
    return unicodedata.normalize("NFC", text).strip()


class QuestionType:
    name: ClassVar[str]
    collects_answer: ClassVar[bool] = True
    has_choices: ClassVar[bool] = False
    options: ClassVar[dict[str, type]] = {}

    def field(self, question: Question, chain: Chain) -> Any:
        raise NotImplementedError

    def clean(self, question: Question, value: Any) -> Any:
        """Check a JSON-like answer and return it in canonical form."""
        raise NotImplementedError

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(0, str(value))]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return rows[0].value

    def validate_options(self, question: Question) -> str | None:
        """An error message about the question's type-specific config, if any."""
        return None


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    QUESTION_TYPES[cls.name] = cls()
    return cls


# --- fields ---------------------------------------------------------------
# Fields only turn posted strings into JSON-like values; ``clean`` judges them.


class _TranslatingField(Field):
    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language


class TextAnswerField(_TranslatingField, StringField):
    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = normalise_text(valuelist[0]) if valuelist else None
        self.data = self.data or None


class LongTextAnswerField(TextAnswerField, TextAreaField):
    pass


class NumberAnswerField(_TranslatingField, StringField):
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


class DateAnswerField(_TranslatingField, StringField):
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


def _optional_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


class RankWidget:
    """A row per choice, each with a menu of positions; works without JavaScript."""

    def __call__(self, field: RankField, **kwargs: Any) -> Markup:
        positions = range(1, field.rank_count + 1)
        chosen = {code: rank for rank, code in enumerate(field.data or [], start=1)}
        rows = []
        for code, label in field.choices:
            menu_id = f"{field.id}-{code}"
            options = [Markup('<option value="">–</option>')]
            for position in positions:
                selected = Markup(" selected") if chosen.get(code) == position else ""
                options.append(
                    Markup('<option value="{}:{}"{}>{}</option>').format(
                        code, position, selected, position
                    )
                )
            rows.append(
                Markup(
                    '<li><select id="{}" name="{}" aria-labelledby="{}-label">{}</select>'
                    ' <label id="{}-label" for="{}">{}</label></li>'
                ).format(menu_id, field.name, menu_id, Markup("").join(options), menu_id, menu_id, label)
            )
        return Markup('<ol class="rank" id="{}">{}</ol>').format(field.id, Markup("").join(rows))


class RankField(_TranslatingField):
    """Posted as one ``code:position`` value per choice; data is codes in rank order."""

    widget = RankWidget()

    def __init__(self, *args: Any, choices: list[tuple[str, str]], rank_count: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.rank_count = rank_count

    def process_formdata(self, valuelist: list[str]) -> None:
        ranked: dict[int, str] = {}
        for item in filter(None, valuelist):
            code, _, position = item.rpartition(":")
            if not position.isdigit() or int(position) in ranked:
                message = N_("Give each position to only one item.")
                raise ValueError(gettext_in(self.language, message))
            ranked[int(position)] = code
        self.data = [ranked[p] for p in sorted(ranked)] or None
        if ranked and sorted(ranked) != list(range(1, len(ranked) + 1)):
            self.data = None
            message = N_("Number the items 1, 2, 3… without leaving a gap.")
            raise ValueError(gettext_in(self.language, message))


# --- types ----------------------------------------------------------------


@register
class TextType(QuestionType):
    name = "text"
    max_length = MAX_TEXT

    def field(self, question: Question, chain: Chain) -> Any:
        return TextAnswerField(
            **_texts(question, chain), language=chain[0],
            render_kw={"autocomplete": "off", "maxlength": self.max_length},
        )

    def clean(self, question: Question, value: Any) -> str:
        if not isinstance(value, str):
            raise AnswerError(N_("Expected text."))
        value = normalise_text(value)
        if len(value) > self.max_length:
            raise AnswerError(N_("Keep this under %(max)s characters."), max=self.max_length)
        return value

    def rows(self, value: Any) -> list[AnswerRow]:
        """Free text is stored in Unicode (Zawgyi converted, the original kept) and
        flagged for a person to check: converted text, phone and ID numbers."""
        cleaned = clean_text(value)
        flags = scan(cleaned.text) | ({"zawgyi"} if cleaned.converted else set())
        return [AnswerRow(0, None, text=cleaned.text, original_text=cleaned.original,
                          flags=",".join(sorted(flags)) or None)]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return rows[0].text


@register
class LongTextType(TextType):
    name = "long_text"
    max_length = MAX_LONG_TEXT

    def field(self, question: Question, chain: Chain) -> Any:
        return LongTextAnswerField(
            **_texts(question, chain), language=chain[0],
            render_kw={"autocomplete": "off", "rows": 5, "maxlength": self.max_length},
        )


@register
class IntegerType(QuestionType):
    name = "integer"

    def field(self, question: Question, chain: Chain) -> Any:
        return NumberAnswerField(
            **_texts(question, chain), language=chain[0], parse=int,
            message=N_("Enter a whole number, like 25."),
            render_kw={"inputmode": "numeric", "autocomplete": "off"},
        )

    def clean(self, question: Question, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise AnswerError(N_("Enter a whole number, like 25."))
        return int(value)

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(0, str(value), float(value))]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return int(rows[0].value or 0)


@register
class DecimalType(QuestionType):
    name = "decimal"

    def field(self, question: Question, chain: Chain) -> Any:
        return NumberAnswerField(
            **_texts(question, chain), language=chain[0], parse=_parse_decimal,
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


def _parse_decimal(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


@register
class DateType(QuestionType):
    name = "date"

    def field(self, question: Question, chain: Chain) -> Any:
        return DateAnswerField(**_texts(question, chain), language=chain[0])

    def clean(self, question: Question, value: Any) -> str:
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise AnswerError(N_("Enter a date like 2024-03-31.")) from None


def _texts(question: Question, chain: Chain) -> dict[str, str]:
    hint = question.hint.in_language(chain) if question.hint else ""
    return {"label": question.label.in_language(chain), "description": hint}


def _labelled_choices(question: Question, chain: Chain) -> list[tuple[str, str]]:
    return [(c.value, c.label.in_language(chain)) for c in question.choices]


def _select_choices(question: Question, chain: Chain) -> list[SelectChoice]:
    return [SelectChoice(v, label) for v, label in _labelled_choices(question, chain)]


@register
class SelectOneType(QuestionType):
    name = "select_one"
    has_choices = True

    def field(self, question: Question, chain: Chain) -> Any:
        return RadioField(
            **_texts(question, chain), coerce=_optional_str, validate_choice=False,
            choices=_select_choices(question, chain),
        )

    def clean(self, question: Question, value: Any) -> str:
        if value not in question.choice_values:
            raise AnswerError(N_("Choose one of the answers shown."))
        return str(value)


@register
class SelectMultipleType(QuestionType):
    name = "select_multiple"
    has_choices = True

    def field(self, question: Question, chain: Chain) -> Any:
        return SelectMultipleField(
            **_texts(question, chain), coerce=str, validate_choice=False,
            choices=_select_choices(question, chain),
            widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        )

    def clean(self, question: Question, value: Any) -> list[str]:
        if not isinstance(value, list) or any(v not in question.choice_values for v in value):
            raise AnswerError(N_("Choose from the answers shown."))
        if len(set(value)) != len(value):
            raise AnswerError(N_("Choose each answer only once."))
        return [v for v in question.choice_values if v in value]

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(position, code) for position, code in enumerate(value, start=1)]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return [row.value for row in sorted(rows, key=lambda row: row.position)]


@register
class RankType(QuestionType):
    name = "rank"
    has_choices = True
    options = {"rank_count": int}

    @staticmethod
    def rank_count(question: Question) -> int:
        return int(question.options.get("rank_count") or len(question.choices))

    def validate_options(self, question: Question) -> str | None:
        count = question.options.get("rank_count")
        if count is not None and not 1 <= count <= len(question.choices):
            return f"rank_count must be between 1 and {len(question.choices)}"
        return None

    def field(self, question: Question, chain: Chain) -> Any:
        return RankField(
            **_texts(question, chain), language=chain[0],
            choices=_labelled_choices(question, chain),
            rank_count=self.rank_count(question),
        )

    def clean(self, question: Question, value: Any) -> list[str]:
        if not isinstance(value, list) or any(v not in question.choice_values for v in value):
            raise AnswerError(N_("Rank only the items shown."))
        if len(set(value)) != len(value):
            raise AnswerError(N_("Give each position to only one item."))
        wanted = self.rank_count(question)
        if len(value) != wanted:
            raise AnswerError(N_("Put %(count)s items in order."), count=wanted)
        return list(value)

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(rank, code, float(rank)) for rank, code in enumerate(value, start=1)]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return [row.value for row in sorted(rows, key=lambda row: row.position)]


class _NoteField(Field):
    def __call__(self, **kwargs: Any) -> Markup:
        return Markup("")


@register
class NoteType(QuestionType):
    name = "note"
    collects_answer = False

    def field(self, question: Question, chain: Chain) -> Any:
        return _NoteField(**_texts(question, chain))

    def clean(self, question: Question, value: Any) -> None:
        return None
