"""Results fed back to the organisations: tabulations, cross-tabulations and charts.

Counted in SQL (``tally``), protected by the disclosure rules (``disclosure``),
one tabulator per question type (``tabulators``), shown by ``views``.
"""
