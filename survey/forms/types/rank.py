"""Putting items in order: a menu of positions per item, summarised by Borda score."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ...export.cells import neutralise
from ...export.columns import Labels, Put, RowContext
from ...i18n import N_, gettext_in
from ...results.disclosure import cells
from ...results.tables import QuestionResult, RankItem, RankResult
from ...results.tabulators import Context
from ...results.tally import Tally
from ..definition import Chain, Question
from .base import AnswerRow, QuestionType, TranslatingField, field_texts, labelled_choices, register


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


class RankField(TranslatingField):
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


@register
class RankType(QuestionType):
    """Results: mean rank, first place, top three, and a Borda score (m points for 1st of m ranked).

    Exported as one column per position: the item ranked 1st, 2nd, …
    """

    name = "rank"
    has_choices = True
    options = {"rank_count": int}
    crossable = True
    crosstab_columns_add_up = True
    widget = "rank"

    @staticmethod
    def rank_count(question: Question) -> int:
        return int(question.options.get("rank_count") or len(question.choices))

    def top(self, question: Question) -> int:
        return min(3, self.rank_count(question))

    def validate_options(self, question: Question) -> str | None:
        count = question.options.get("rank_count")
        if count is not None and not 1 <= count <= len(question.choices):
            return f"rank_count must be between 1 and {len(question.choices)}"
        return None

    def field(self, question: Question, chain: Chain) -> Any:
        return RankField(
            **field_texts(question, chain), language=chain[0],
            choices=labelled_choices(question, chain),
            rank_count=self.rank_count(question),
        )

    def reading(self, question: Question) -> dict[str, Any]:
        return {"count": self.rank_count(question), "twice": N_("Give each position to only one item."),
                "gap": N_("Number the items 1, 2, 3… without leaving a gap.")}

    def checks(self, question: Question) -> list[dict[str, Any]]:
        return [{"check": "list_of", "values": list(question.choice_values),
                 "message": N_("Rank only the items shown.")},
                {"check": "unique", "message": N_("Give each position to only one item.")},
                {"check": "count", "count": self.rank_count(question), "message": N_("Put %(count)s items in order.")}]

    def rows(self, value: Any) -> list[AnswerRow]:
        return [AnswerRow(rank, code, float(rank)) for rank, code in enumerate(value, start=1)]

    def from_rows(self, rows: Sequence[AnswerRow]) -> Any:
        return [row.value for row in sorted(rows, key=lambda row: row.position)]

    def tabulate(self, question: Question, data: Tally, context: Context) -> QuestionResult:
        m, top = self.rank_count(question), self.top(question)
        labels = context.choice_labels(question)
        base = context.presence(data)
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

    def cross_measure(self, question: Question) -> str:
        return "top"

    def export_headers(self, question: Question, labels: Labels) -> list[str]:
        return [labels.part(question, str(p), str(p)) for p in range(1, self.rank_count(question) + 1)]

    def export_put(self, question: Question, labels: Labels) -> Put:
        shown = labels.choices(question)
        count = self.rank_count(question)

        def put(row: list[Any], at: int, answer: list[str], context: RowContext) -> None:
            ranked = [shown.get(code) or neutralise(code) for code in answer[:count]]
            row[at:at + len(ranked)] = ranked
        return put
