"""Tabulating a form: each question by its own type's ``tabulate`` (``survey/forms/types/``).

``Context`` is what a type needs to do it: whose answers, the rule, the
language and the number of respondents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..forms.definition import Form, Question
from .disclosure import Rule, cells
from .scope import Scope
from .tables import Presence, Results
from .tally import Tally, tally


@dataclass(frozen=True)
class Context:
    """What every question type needs to tabulate: whose answers, the rule, the language, the base."""

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

    def presence(self, data: Tally) -> Presence:
        answered, skipped = data.answered, data.skipped
        not_relevant = max(self.respondents - answered - skipped, 0)
        line = cells([answered, skipped, not_relevant], self.respondents, self.rule, additive=True)
        return Presence(*line)


def tabulate(scope: Scope, rule: Rule, language: str,
             only: Sequence[str] | None = None) -> Results:
    """Every question of the form that collects an answer (or ``only`` these), protected by ``rule``."""
    true, respondents = scope.headcount()
    # Both: a table of fewer than k people is never shown, whatever its noise.
    if min(true, respondents) < rule.k:
        return Results(respondents, (), enough=False)
    context = Context(scope, rule, language, respondents)
    data = tally(scope)
    found = []
    for question in scope.form.questions():
        if question.collects_answer and (only is None or question.name in only):
            found.append(question.type.tabulate(question, data.get(question.name, Tally()), context))
    return Results(respondents, tuple(found), enough=True)
