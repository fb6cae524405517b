"""A question cross-tabulated by the answers to a select_one question."""

from __future__ import annotations

from ..forms.definition import Question
from ..i18n import gettext_in
from .disclosure import Group, cells, merge_small_groups, table_cells
from .scope import ScopeError
from .tables import ChoiceResult, Column, CrossTab, QuestionResult, RankResult
from .tabulators import Context
from .tally import Tally, cross_tally, group_sizes


def grouping_questions(context: Context) -> list[Question]:
    return [q for q in context.form.questions() if q.type.groups_crosstab]


def grouping_question(context: Context, name: str) -> Question:
    question = next((q for q in grouping_questions(context) if q.name == name), None)
    if question is None:
        raise ScopeError("Results can be broken down only by a question with one answer.")
    return question


def crosstab(context: Context, main: QuestionResult, by: Question) -> CrossTab | None:
    """A question by ``by``; None when the question's type is never cross-tabulated.

    ``main`` is the question's own published result: its counts are the
    totals of the cross-tabulation's rows and columns, hidden or not.
    """
    question = main.question
    kind = question.type
    if not kind.crossable or question.name == by.name:
        return None
    order = [*by.choice_values, None]
    groups = merge_small_groups(group_sizes(context.scope, by.name), order, context.rule)
    if not groups:
        return None
    data = cross_tally(context.scope, question.name, by.name)
    merged = [_merge(data, group) for group in groups]
    rule = context.rule
    answered = cells([t.answered for t in merged], main.presence.answered, rule, additive=True)
    columns = tuple(Column(_group_label(context, by, group), cell)
                    for group, cell in zip(groups, answered, strict=True))
    rows = kind.cross_rows(question, context)
    matrix = [[kind.cross_count(question, t, code) for t in merged] for code, _ in rows]
    hidden_totals = _hidden_row_totals(main)
    protected = table_cells(matrix, answered, rule, rows_add_up=True,
                            columns_add_up=kind.crosstab_columns_add_up,
                            hidden_row_totals=[hidden_totals.get(code, True) for code, _ in rows])
    return CrossTab(question, context.label(question), by, context.label(by), columns,
                    tuple((label, tuple(line)) for (_, label), line in zip(rows, protected, strict=True)),
                    measure=kind.cross_measure(question),
                    means=kind.cross_means(question, merged, rule.k))


def _hidden_row_totals(main: QuestionResult) -> dict[str, bool]:
    """Whether each row's total, as published in the question's own table, is hidden."""
    if isinstance(main, ChoiceResult):
        return {line.code: line.cell.hidden for line in main.lines}
    if isinstance(main, RankResult):
        return {item.code: item.top.hidden for item in main.items}
    return {"n": main.presence.answered.hidden}


def _merge(data: dict[str | None, Tally], group: Group) -> Tally:
    merged = Tally(epoch=next((t.epoch for t in data.values()), 0))
    for code in group.codes:
        merged.groups.extend(data.get(code, Tally()).groups)
    return merged


def _group_label(context: Context, by: Question, group: Group) -> str:
    labels = context.choice_labels(by)
    no_answer = gettext_in(context.language, "No answer")
    if group.merged:
        # Not naming the merged answers: that would tell that each has someone.
        return gettext_in(context.language, "Other (small groups together)")
    code = group.codes[0]
    return labels.get(code, code) if code is not None else no_answer
