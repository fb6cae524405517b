"""The Responses sheet: one row per submission, streamed from the database.

Two ordered cursors, submissions and their answers, are walked side by side,
so memory holds one submission's row at a time whatever the number of rows.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from ..collect.models import Answer, Submission
from ..consent.models import ConsentRecord
from ..db import db
from ..forms.definition import Question
from ..i18n import gettext_in
from ..organisations.models import Organisation
from ..results.scope import Scope
from .cells import neutralise
from .columns import CODES, Labels, Put, RowContext

BATCH = 5_000


@dataclass(frozen=True)
class Layout:
    """Where each question's columns start, and how to fill them."""

    headers: list[str]
    width: int
    puts: dict[str, tuple[int, Put]]
    lists: list[int]


FIXED = ("#", "organisation", "language", "received", "form_version")


def layout(scope: Scope, language: str) -> Layout:
    labels = Labels(scope.form, language)
    ui = language if language != CODES else scope.form.default_language
    headers = [neutralise(gettext_in(ui, name)) if language != CODES else name
               for name in ("#", "Organisation", "Language", "Received", "Form version")]
    puts: dict[str, tuple[int, Put]] = {}
    lists = []
    for question in _exported(scope):
        kind = question.type
        puts[question.name] = (len(headers), kind.export_put(question, labels))
        if kind.export_joins_list:
            lists.append(len(headers))
        headers.extend(kind.export_headers(question, labels))
    return Layout(headers, len(headers), puts, lists)


def _exported(scope: Scope) -> list[Question]:
    return [q for q in scope.form.questions() if q.collects_answer]


def rows(scope: Scope, language: str, shape: Layout,
         long_texts: list[tuple[int, str, list[str]]]) -> Iterator[list[Any]]:
    """The rows of the sheet, header excluded. Long text parts go to ``long_texts``."""
    ui = language if language != CODES else scope.form.default_language
    not_quotable = neutralise(gettext_in(ui, "[not shown: no consent to be quoted]"))
    width, puts, lists = shape.width, shape.puts.get, shape.lists
    # One group of answer rows per submission, both streams in submission order.
    groups = itertools.groupby(_answers(scope), key=operator.itemgetter(0))
    current = next(groups, None)
    for number, submission in enumerate(_submissions(scope), start=1):
        row: list[Any] = [None] * width
        row[:5] = [number, submission.code, submission.language,
                   submission.received_at.date(), neutralise(submission.form_version)]
        context = RowContext(bool(submission.quote), not_quotable, [])
        while current is not None and current[0] < submission.id:
            current = next(groups, None)
        if current is not None and current[0] == submission.id:
            for _, question, value, number_, text in current[1]:
                found = puts(question)
                if found is not None:
                    found[1](row, found[0], value, number_, text, context)
            current = next(groups, None)
        for at in lists:
            if row[at] is not None:
                row[at] = "; ".join(row[at])
        long_texts.extend((number, header, parts) for header, parts in context.long_texts)
        yield row


def _submissions(scope: Scope) -> Iterator[Any]:
    query = (select(Submission.id, Organisation.code, Submission.language, Submission.received_at,
                    Submission.form_version, ConsentRecord.optional["quote"].as_boolean().label("quote"))
             .join(Organisation, Organisation.id == Submission.organisation_id)
             .join(ConsentRecord, ConsentRecord.id == Submission.consent_id)
             .where(*scope.conditions()).order_by(Submission.id))
    return _stream(query)


def _stream(query: Select[Any]) -> Iterator[Any]:
    """Core rows in batches (a server-side cursor on PostgreSQL), never all at once."""
    return iter(db.session.connection().execute(query.execution_options(yield_per=BATCH)))


def _answers(scope: Scope) -> Iterator[Any]:
    """The answer rows in scope, by submission: ``ix_answers_submission``'s order, no join."""
    query = scope.on_answers(
        select(Answer.submission_id, Answer.question, Answer.value, Answer.number, Answer.text))
    return _stream(query.order_by(Answer.submission_id, Answer.question, Answer.position))
