"""Free-text answers fit to quote: in her own organisation's results, with her consent, redacted."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from ..collect.models import Answer, Submission
from ..consent.models import ConsentRecord
from ..consent.pii import _NRC, _PHONE, _THAI_ID, ascii_digits  # noqa: PLC2701 - see redact()
from ..db import db
from .scope import Scope

REDACTED = "[…]"
MAX_QUOTES = 200


def redact(text: str) -> str:
    """Phone and ID-card numbers, in any script's digits, replaced by ``[…]``.

    ``ascii_digits`` keeps every character in its place, so the spans found
    in the ASCII copy are the spans of the original. (This belongs in
    ``survey.consent.pii`` beside ``scan``, which uses the same patterns.)
    """
    plain = ascii_digits(text)
    spans = [m.span() for pattern in (_NRC, _THAI_ID, _PHONE) for m in pattern.finditer(plain)]
    for start, end in sorted(_merged(spans), reverse=True):
        text = text[:start] + REDACTED + text[end:]
    return text


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
