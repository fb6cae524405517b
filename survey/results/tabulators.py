"""How each question type is tabulated: one class per type, found by type name.

These classes belong with the question types (``survey/forms/types.py``),
each as a ``tabulate`` and ``cross_row`` method; until they move there,
``TABULATORS`` maps a type name to its tabulator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..forms.definition import Form, Question
from .disclosure import Rule, cells
from .quotes import quotes
from .scope import Scope
from .tables import (
    ChoiceResult,
    Line,
    NumberResult,
    Presence,
    QuestionResult,
    RankItem,
    RankResult,
    Results,
    Stats,
    TextResult,
)
from .tally import Tally, quartiles, tally


@dataclass(frozen=True)
class Context:
    """What every tabulator needs: whose answers, the rule, the language, the base."""

    scope: Scope
    rule: Rule
    language: str
    respondents: int

    @property
    def form(self) -> Form:
        return self.scope.form

    def label(self, question: Question) -> str:
        return self.form.text(question.label, self.language)

    def choice_labels(self, question: Question) -> dict[str, str]:
        return {c.value: self.form.text(c.label, self.language) for c in question.choices}


def presence(data: Tally, context: Context) -> Presence:
    answered, skipped = data.answered, data.skipped
    not_relevant = max(context.respondents - answered - skipped, 0)
    line = cells([answered, skipped, not_relevant], context.respondents, context.rule, additive=True)
    return Presence(*line)


class Tabulator:
    """Counts, percentages and cross-tabulation rows of one question type."""

    crossable: ClassVar[bool] = True
    columns_add_up: ClassVar[bool] = False

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        return QuestionResult(question, context.label(question), presence(data, context))

    def cross_rows(self, question: Question, context: Context) -> list[tuple[str, str]]:
        """(code, label) of the rows of a cross-tabulation."""
        return [(c.value, label) for c, label in zip(
            question.choices, context.choice_labels(question).values(), strict=True)]

    def cross_count(self, question: Question, data: Tally, code: str) -> int:
        return data.count(code)

    def measure(self, question: Question) -> str:
        return ""


class SelectOneTabulator(Tabulator):
    columns_add_up = True
    multiple = False

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        base = presence(data, context)
        labels = context.choice_labels(question)
        counts = [data.count(code) for code in labels]
        line = cells(counts, base.answered, context.rule, additive=not self.multiple)
        return ChoiceResult(question, context.label(question), base,
                            tuple(Line(code, labels[code], cell) for code, cell in zip(labels, line, strict=True)),
                            multiple=self.multiple)


class SelectMultipleTabulator(SelectOneTabulator):
    columns_add_up = False
    multiple = True


class RankTabulator(Tabulator):
    """Mean rank, first place, top three, and a Borda score (m points for 1st of m ranked)."""

    columns_add_up = True

    @staticmethod
    def ranked(question: Question) -> int:
        return int(question.options.get("rank_count") or len(question.choices))

    def top(self, question: Question) -> int:
        return min(3, self.ranked(question))

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        m, top = self.ranked(question), self.top(question)
        labels = context.choice_labels(question)
        base = presence(data, context)
        first = cells([data.count(c, positions=range(1, 2)) for c in labels], base.answered,
                      context.rule, additive=True)
        tops = cells([data.count(c, positions=range(1, top + 1)) for c in labels], base.answered,
                     context.rule, additive=True)
        items = []
        for (code, label), first_cell, top_cell in zip(labels.items(), first, tops, strict=True):
            ranked = data.count(code)
            enough = ranked >= context.rule.k
            mean = data.weighted(code, float) / ranked if enough else None
            borda = data.weighted(code, lambda p: m - p + 1) if enough else None
            items.append(RankItem(code, label, first_cell, top_cell, mean, borda))
        items.sort(key=lambda item: (item.borda is None, -(item.borda or 0), item.code))
        return RankResult(question, context.label(question), base, tuple(items), top=top, ranked=m)

    def cross_count(self, question: Question, data: Tally, code: str) -> int:
        return data.count(code, positions=range(1, self.top(question) + 1))

    def measure(self, question: Question) -> str:
        return "top"


class NumberTabulator(Tabulator):
    crossable = True

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        n, total = data.numbers()
        stats = None
        if n >= context.rule.k:
            stats = Stats(n, total / n, *quartiles(context.scope, question.name, n))
        return NumberResult(question, context.label(question), presence(data, context), stats)

    def cross_rows(self, question: Question, context: Context) -> list[tuple[str, str]]:
        return [("n", "n")]

    def cross_count(self, question: Question, data: Tally, code: str) -> int:
        return data.numbers()[0]

    def measure(self, question: Question) -> str:
        return "mean"


class DateTabulator(Tabulator):
    """Dates counted by month: a day could point at one person."""

    crossable = False

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        months: dict[str, int] = {}
        for group in data.groups:
            if group.value:
                months[group.value[:7]] = months.get(group.value[:7], 0) + group.count
        ordered = sorted(months)
        base = presence(data, context)
        line = cells([months[m] for m in ordered], base.answered, context.rule, additive=True)
        return ChoiceResult(question, context.label(question), base,
                            tuple(Line(m, m, cell) for m, cell in zip(ordered, line, strict=True)))


class TextTabulator(Tabulator):
    """Free text is counted, never cross-tabulated; quoted only with consent, in her organisation."""

    crossable = False

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        allowed = not context.scope.pooled
        found = tuple(quotes(context.scope, question.name)) if allowed else ()
        return TextResult(question, context.label(question), presence(data, context), found, allowed)


TABULATORS: Mapping[str, Tabulator] = {
    "select_one": SelectOneTabulator(),
    "select_multiple": SelectMultipleTabulator(),
    "rank": RankTabulator(),
    "integer": NumberTabulator(),
    "decimal": NumberTabulator(),
    "date": DateTabulator(),
    "text": TextTabulator(),
    "long_text": TextTabulator(),
}


def tabulator(question: Question) -> Tabulator | None:
    return TABULATORS.get(question.type.name) if question.collects_answer else None


def tabulate(scope: Scope, rule: Rule, language: str,
             only: Sequence[str] | None = None) -> Results:
    """Every question of the form (or ``only`` these), protected by ``rule``."""
    respondents = scope.respondents()
    if respondents < rule.k:
        return Results(respondents, (), enough=False)
    context = Context(scope, rule, language, respondents)
    data = tally(scope)
    found = []
    for question in scope.form.questions():
        kind = tabulator(question)
        if kind is not None and (only is None or question.name in only):
            found.append(kind.tabulate(question, data.get(question.name, Tally()), context))
    return Results(respondents, tuple(found), enough=True)
