"""Free-text answers fit to quote: in her own organisation's results, with her consent, redacted."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from ..collect.models import Answer, Submission
from ..consent.models import ConsentRecord
from ..consent.pii import redact
from ..db import db
from .scope import Scope

MAX_QUOTES = 200


def quotes(scope: Scope, question: str) -> Iterator[str]:
    """Answers to ``question`` from participants who agreed to be quoted; never pooled.

    They are sorted by text, so their order says nothing about who answered when.
    """
    if scope.pooled:
        return
    query = (select(Answer.text)
             .join(Submission, Submission.id == Answer.submission_id)
             .join(ConsentRecord, ConsentRecord.id == Submission.consent_id)
             .where(*scope.conditions(), Answer.question == question, Answer.text.is_not(None),
                    ConsentRecord.optional["quote"].as_boolean().is_(True))
             .order_by(Answer.text).limit(MAX_QUOTES))
    for text in db.session.scalars(query):
        yield redact(text)
