"""The summary's top five: ties are never broken by an item's code."""

from __future__ import annotations

from survey.results.disclosure import Cell
from survey.results.tables import Presence, RankItem, RankResult
from survey.results.views import top_items


def test_every_item_tied_with_the_fifth_is_in_the_top_five(form):
    question = form.question("priorities")
    codes = question.choice_values
    scores = [90, 80, 70, 60, 50, 50, 50, 10]
    items = tuple(sorted((RankItem(code, code, Cell(1), Cell(1), 2.0, float(score))
                          for code, score in zip(reversed(codes), scores, strict=True)),
                         key=lambda item: (-(item.borda or 0), item.code)))
    ranking = RankResult(question, "", Presence(Cell(1), Cell(0), Cell(0)), items)
    top = top_items(ranking)
    assert [item.borda for item in top] == [90, 80, 70, 60, 50, 50, 50]
    tied = [item.code for item in top if item.borda == 50]
    assert tied == [code for code in codes if code in tied], "tied items in the form's order"
