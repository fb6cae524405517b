"""Storing submissions, idempotent by the client's UUID: one at a time, or a batch in one transaction."""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..db import db
from ..forms.definition import Form
from ..consent.codes import find_participant, new_participant
from ..consent.records import GivenConsent, consent_record
from ..forms.versions import record_version
from ..i18n.zawgyi import clean_text
from ..accounts.models import User
from ..organisations.models import Organisation
from ..results.counts import count_answers, interview_day
from ..forms.types import AnswerRow
from .documents import answer_rows, document, given_answers
from .models import Answer, Note, Submission


SQLITE_BATCH_WAIT_MS = 25_000
"""How long a batch waits for another batch's write lock on SQLite (under gunicorn's 30 s)."""


class SubmissionConflict(Exception):
    """The UUID is already stored with different content."""

    def __init__(self, submission_uuid: uuid.UUID) -> None:
        super().__init__(f"submission {submission_uuid} is already stored with different answers")
        self.uuid = submission_uuid


def content_hash(form: Form, language: str, answers: Mapping[str, Any], consent: GivenConsent,
                 notes: Sequence[tuple[str | None, Mapping[str, Any]]] = ()) -> str:
    canonical = json.dumps(
        {"form": form.id, "version": form.version, "language": language, "answers": answers,
         "consent": consent.as_data(),
         "notes": [[question, dict(note)] for question, note in notes]},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def store_submission(
    form: Form,
    submission_uuid: uuid.UUID,
    language: str,
    answers: Mapping[str, Any],
    consent: GivenConsent,
    *,
    organisation_id: int,
    started_at: datetime.datetime | None = None,
    finished_at: datetime.datetime | None = None,
    collected_by: User | None = None,
    notes: Sequence[tuple[str | None, Mapping[str, Any]]] = (),
) -> tuple[Submission, bool]:
    """Store validated answers with her consent and commit; returns the submission and whether it is new.

    The same UUID with the same content is acknowledged without a second
    copy; with different content it raises ``SubmissionConflict``. A follow-up
    under an existing participant code that is unknown raises ``CodeError``.
    """
    try:
        stored = add_submission(form, submission_uuid, language, answers, consent,
                                organisation_id=organisation_id, started_at=started_at,
                                finished_at=finished_at, collected_by=collected_by, notes=notes)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return stored


def add_submission(
    form: Form,
    submission_uuid: uuid.UUID,
    language: str,
    answers: Mapping[str, Any],
    consent: GivenConsent,
    *,
    organisation_id: int,
    started_at: datetime.datetime | None = None,
    finished_at: datetime.datetime | None = None,
    collected_by: User | None = None,
    notes: Sequence[tuple[str | None, Mapping[str, Any]]] = (),
) -> tuple[Submission, bool]:
    """``store_submission`` without the commit: the rows go in under a SAVEPOINT of the
    current transaction, so a refused submission leaves the others of a batch in place.

    A concurrent insert of the same UUID is caught by the unique constraint and
    classified like any other repeat: the same content, or ``SubmissionConflict``.
    """
    digest = content_hash(form, language, answers, consent, notes)
    if existing := _existing(form, submission_uuid):
        return _same_or_conflict(existing, digest)
    try:
        with db.session.begin_nested():
            submission, rows = _new_submission(
                form, submission_uuid, language, answers, consent, digest, organisation_id,
                collected_by, notes, started_at=started_at, finished_at=finished_at)
    except IntegrityError:
        if existing := _existing(form, submission_uuid):
            return _same_or_conflict(existing, digest)
        raise
    organisation = db.session.get(Organisation, organisation_id)
    day = interview_day(organisation.time_zone if organisation else None,
                        submission.started_at, submission.received_at)
    count_answers(form, organisation_id, day, rows, submission.record_key)
    return submission, True


def _new_submission(
    form: Form, submission_uuid: uuid.UUID, language: str, answers: Mapping[str, Any],
    consent: GivenConsent, digest: str, organisation_id: int, collected_by: User | None,
    notes: Sequence[tuple[str | None, Mapping[str, Any]]], *,
    started_at: datetime.datetime | None, finished_at: datetime.datetime | None,
) -> tuple[Submission, list[dict[str, Any]]]:
    """The submission and the answer rows it was stored with."""
    record_version(form)
    given = answer_rows(form, answers)
    participant = (find_participant(consent.existing_code, organisation_id) if consent.existing_code
                   else new_participant(form.code_format, answers, organisation_id))
    submission = Submission(
        uuid=submission_uuid, form_id=form.id, form_version=form.version, language=language,
        organisation_id=organisation_id,
        content_hash=digest, started_at=started_at, finished_at=finished_at,
        collected_by=collected_by.id if collected_by else None, participant=participant,
        consent=consent_record(form, consent, participant, collected_by),
        answers_json=document(form, given),
    )
    submission.notes = [
        Note(question=question, language=note["language"], is_translation=note["translation"],
             **_note_text(note["body"]),
             author_id=collected_by.id if collected_by else None,
             author_role=collected_by.role if collected_by else "import")
        for question, note in notes
    ]
    db.session.add(submission)
    db.session.flush()
    rows = table_rows(submission.id, form.id, organisation_id, given)
    if rows:
        db.session.execute(insert(Answer), rows)
    return submission, rows


@contextmanager
def one_transaction() -> Iterator[None]:
    """Commit all that is added inside at once on leaving, or nothing on an error.

    On SQLite the write lock is taken first (``BEGIN IMMEDIATE``): the pysqlite
    driver begins no transaction before a SAVEPOINT, so each record's SAVEPOINT
    would otherwise commit on its own, and a concurrent writer waits its turn
    instead of failing on a stale snapshot.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        waited = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BATCH_WAIT_MS}")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(waited)}")
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def _note_text(body: str) -> dict[str, str | None]:
    cleaned = clean_text(body)
    return {"body": cleaned.text, "original_body": cleaned.original}


def _existing(form: Form, submission_uuid: uuid.UUID) -> Submission | None:
    return db.session.scalar(
        select(Submission).where(Submission.form_id == form.id, Submission.uuid == submission_uuid)
    )


def _same_or_conflict(existing: Submission, digest: str) -> tuple[Submission, bool]:
    if existing.content_hash != digest:
        raise SubmissionConflict(existing.uuid)
    return existing, False


def table_rows(submission_id: int, form_id: str, organisation_id: int,
               given: list[tuple[str, AnswerRow]]) -> list[dict[str, Any]]:
    """The answer table's rows; ``form_id`` and ``organisation_id`` repeat the submission's."""
    owner = {"submission_id": submission_id, "form_id": form_id, "organisation_id": organisation_id}
    return [{**owner, "question": name, "position": row.position, "value": row.value,
             "number": row.number, "text": row.text, "original_text": row.original_text,
             "flags": row.flags} for name, row in given]


def read_answers(form: Form, submission: Submission) -> dict[str, Any]:
    """The answers of a stored submission, as they were given."""
    return given_answers(form, ((answer.question, answer) for answer in submission.answers))
