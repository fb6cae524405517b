"""Results fed back to the organisations: tabulations, cross-tabulations and charts.

Counted as answers arrive (``counts``) and summed in SQL (``tally``),
protected by the disclosure rules (``disclosure``), each question tabulated by
its own type (``survey/forms/types/``, driven by ``tabulators``), shown by
``views``.
"""
