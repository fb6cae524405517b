"""Each submission's answers as given, kept beside its answer rows as one JSON document.

The answer table is what results count and withdrawals delete; the document
is what the Responses sheet reads, one row per submission instead of one per
answer item. Both are written from the same rows, in the same transaction.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, select, update

from ..forms.catalog import form_version
from ..forms.definition import Form
from ..forms.types import AnswerRow
from .models import Answer, Submission

FILL_CHUNK = 2_000


class _Row(Protocol):
    position: int
    value: str | None
    number: float | None
    text: str | None


def answer_rows(form: Form, answers: Mapping[str, Any]) -> list[tuple[str, AnswerRow]]:
    """The rows each answer is stored as, with its question's name; a blank answer has one empty row."""
    rows = []
    for name, value in answers.items():
        if value is None:
            rows.append((name, AnswerRow(0, None)))
        else:
            rows.extend((name, row) for row in form.question(name).type.rows(value))
    return rows


def given_answers(form: Form, rows: Iterable[tuple[str, _Row]]) -> dict[str, Any]:
    """The answers as given, read back from their rows; ``None`` where a question was left blank."""
    grouped: dict[str, list[_Row]] = {}
    for name, row in rows:
        grouped.setdefault(name, []).append(row)
    return {name: None if all(r.value is None and r.text is None for r in found)
            else form.question(name).type.from_rows(found)  # type: ignore[arg-type]
            for name, found in grouped.items()}


def document(form: Form, rows: Iterable[tuple[str, _Row]]) -> str:
    """What ``Submission.answers_json`` holds for these rows."""
    return json.dumps(given_answers(form, rows), ensure_ascii=False, separators=(",", ":"))


def fill_documents(connection: Connection) -> int:
    """Write the document of every submission stored without one; returns how many were written."""
    # Imported here: the form versions module needs consent records, which need the collect models.

    filled = 0
    missing = select(Submission.id).where(Submission.answers_json.is_(None)).order_by(Submission.id)
    while ids := connection.scalars(missing.limit(FILL_CHUNK)).all():
        query = (select(Submission.id, Submission.form_id, Submission.form_version, Answer.question,
                        Answer.position, Answer.value, Answer.number, Answer.text)
                 .outerjoin(Answer, Answer.submission_id == Submission.id)
                 .where(Submission.id.in_(ids)).order_by(Submission.id, Answer.question, Answer.position))
        written = []
        for id_, found in itertools.groupby(connection.execute(query), key=lambda r: r[0]):
            stored = list(found)
            form_id, version = stored[0][1:3]
            form = form_version(form_id, version)
            if form is None:
                raise LookupError(f"form {form_id} version {version} is not stored")
            rows = [(r[3], AnswerRow(*r[4:])) for r in stored if r[3] is not None]
            written.append({"id_": id_, "document": document(form, rows)})
        connection.execute(update(Submission.__table__).where(Submission.__table__.c.id == bindparam("id_"))
                           .values(answers_json=bindparam("document")), written)
        filled += len(written)
    return filled
