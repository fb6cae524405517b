"""The Responses sheet: one row per submission, streamed from the database.

Each submission's answers are read from its JSON document (``answers_json``),
one database row per submission, and each answer is written by its question
type in one call. Its times are the organisation's wall clock: when the interview
started (``survey.organisations.zones.moment``) and when it was received.
Memory holds one batch of submissions whatever the number.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..collect.models import Submission
from ..collect.storage import read_answers
from ..consent.models import ConsentRecord
from ..db import db
from ..forms.definition import Form, Question
from ..forms.catalog import form_version
from ..i18n import N_, gettext_in
from ..organisations.models import Organisation
from ..organisations.zones import local, moment, zone
from ..results.scope import Scope
from .cells import neutralise
from .columns import CODES, Labels, Put, RowContext

BATCH = 2_000


@dataclass(frozen=True)
class Layout:
    """Where each question's columns start, and how to fill them."""

    headers: list[str]
    width: int
    puts: dict[str, tuple[int, Put]]


FIXED = ("#", "organisation", "language", "started", "received", "form_version")
FIXED_HEADERS = ("#", N_("Organisation"), N_("Language"), N_("Started"), N_("Received"),
                 N_("Form version"))


def layout(scope: Scope, language: str) -> Layout:
    labels = Labels(scope.form, language)
    ui = language if language != CODES else scope.form.default_language
    headers = [neutralise(gettext_in(ui, name)) if language != CODES else name
               for name in FIXED_HEADERS]
    puts: dict[str, tuple[int, Put]] = {}
    for question in _exported(scope.form):
        puts[question.name] = (len(headers), question.type.export_put(question, labels))
        headers.extend(question.type.export_headers(question, labels))
    return Layout(headers, len(headers), puts)


def _exported(form: Form) -> list[Question]:
    return [q for q in form.questions() if q.collects_answer]


def rows(scope: Scope, language: str, shape: Layout,
         long_texts: list[tuple[int, str, list[str]]]) -> Iterator[list[Any]]:
    """The rows of the sheet, header excluded. Long text parts go to ``long_texts``."""
    ui = language if language != CODES else scope.form.default_language
    not_quotable = neutralise(gettext_in(ui, "[not shown: no consent to be quoted]"))
    puts, blank, loads = shape.puts, [None] * (shape.width - len(FIXED)), json.loads
    retyped = functools.cache(functools.partial(_retyped, scope.form))
    safe_version = functools.cache(neutralise)  # a form has few versions
    zone_of = functools.cache(zone)
    for number, (id_, code, time_zone, language_, started, received, version, quote, given) in (
            enumerate(_submissions(scope), start=1)):
        where = zone_of(time_zone)
        row = [number, code, language_, _clock(moment(started, received), where),
               _clock(received, where), safe_version(version), *blank]
        context = RowContext(bool(quote), not_quotable, [])
        answers = loads(given) if given is not None else _read_back(id_, scope.form.id, version)
        if changed := retyped(version):
            answers = {name: changed[name](value) if name in changed else value
                       for name, value in answers.items()}
        for name, value in answers.items():
            found = puts.get(name)  # None: a question no longer in the form
            if found is not None and value is not None:
                found[1](row, found[0], value, context)
        if context.long_texts:
            long_texts.extend((number, header, parts) for header, parts in context.long_texts)
        yield row


def _clock(at: datetime.datetime, where: ZoneInfo) -> datetime.datetime:
    """The organisation's wall clock, to the second."""
    return local(at, where).replace(microsecond=0)


def _submissions(scope: Scope) -> Iterator[Any]:
    query = (select(Submission.id, Organisation.code, Organisation.time_zone, Submission.language,
                    Submission.started_at, Submission.received_at,
                    Submission.form_version, ConsentRecord.optional["quote"].as_boolean().label("quote"),
                    Submission.answers_json)
             .join(Organisation, Organisation.id == Submission.organisation_id)
             .join(ConsentRecord, ConsentRecord.id == Submission.consent_id)
             .where(*scope.conditions()).order_by(Submission.id))
    # Batches from a server-side cursor on PostgreSQL, never all rows at once.
    return iter(db.session.connection().execute(query.execution_options(yield_per=BATCH)))


def _read_back(submission_id: int, form_id: str, version: str) -> dict[str, Any]:
    """The answers of a submission stored before documents were kept, from its answer rows."""
    form = form_version(form_id, version)
    submission = db.session.get(Submission, submission_id)
    return read_answers(form, submission) if form is not None and submission is not None else {}


def _retyped(form: Form, version: str) -> dict[str, Callable[[Any], Any]]:
    """For answers stored under ``version``: how to read those whose question has changed
    type since, as the current type reads the rows the old one stored."""
    old = form if version == form.version else form_version(form.id, version)
    if old is None:
        return {}
    before = {q.name: q.type for q in _exported(old)}
    return {q.name: functools.partial(_convert, before[q.name], q.type)
            for q in _exported(form) if q.name in before and before[q.name] is not q.type}


def _convert(was: Any, now: Any, value: Any) -> Any:
    try:
        return now.from_rows(was.rows(value))
    except (TypeError, ValueError, IndexError):
        return None  # an answer the new type cannot hold: the cell stays empty
