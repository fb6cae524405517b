"""Keeping ``answer_counts`` and ``answer_pair_counts`` in step with the answer table.

A stored submission adds the counts of its answer rows, and its record key to
the key sums kept beside them (``survey.results.perturbation``); a withdrawal
takes both away. What a transaction changes is gathered in its session and written
just before it commits, in key order, so that writers on PostgreSQL never
deadlock on the same counts; a rollback drops it with everything else, and a
SAVEPOINT rolled back takes back what was counted inside it.

The rules follow the form version a submission was stored under: every row
counts in ``answer_counts``; a row of a question that can be cross-tabulated
counts again in ``answer_pair_counts`` under each answer the submission gave
to a grouping question (``QuestionType.groups_crosstab``).
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, ColumnElement, Table, and_, bindparam, delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from ..collect.models import Answer, Submission
from ..db import db
from ..forms.catalog import form_version
from ..forms.definition import Form
from ..organisations.models import Organisation
from ..organisations.zones import local, moment, zone
from .models import AnswerCount, AnswerPairCount

PENDING = "survey.results.counts"
MARKS = "survey.results.counts.savepoints"
RECOUNT_CHUNK = 2_000

Key = tuple[Any, ...]


class Row(NamedTuple):
    """What counting needs of one answer row."""

    question: str
    position: int
    value: str | None
    number: float | None
    has_text: bool


@dataclass(frozen=True)
class _Roles:
    grouping: frozenset[str]
    crossable: frozenset[str]


_roles_cache: dict[tuple[str, str, str], _Roles] = {}


def _roles(form: Form) -> _Roles:
    key = (form.id, form.version, form.content_hash)
    if key not in _roles_cache:
        questions = list(form.questions())
        _roles_cache[key] = _Roles(frozenset(q.name for q in questions if q.type.groups_crosstab),
                                   frozenset(q.name for q in questions if q.type.crossable))
    return _roles_cache[key]


@dataclass
class Changes:
    """Count changes by key: ``[answers, texts, number, keys, text_keys]`` per primary key."""

    singles: dict[Key, list[Any]] = field(default_factory=dict)
    pairs: dict[Key, list[Any]] = field(default_factory=dict)
    made: list[tuple[dict[Key, list[Any]], Key, int, Row, int]] = field(default_factory=list)

    def add(self, form: Form, organisation_id: int, day: datetime.date, rows: Sequence[Row],
            record_key: int, sign: int = 1) -> None:
        """Count one submission's answer rows (``sign`` -1 takes them away)."""
        roles = _roles(form)
        groups = [(r.question, r.value) for r in rows
                  if r.position == 0 and r.value is not None and r.question in roles.grouping]
        for row in rows:
            value = "" if row.value is None else row.value
            self._bump(self.singles, (form.id, organisation_id, day, row.question, value,
                                      row.position), sign, row, record_key)
            if row.question not in roles.crossable:
                continue
            for by, by_value in groups:
                if by != row.question:
                    self._bump(self.pairs, (form.id, by, row.question, organisation_id, day,
                                            by_value, value, row.position), sign, row, record_key)

    def mark(self) -> int:
        """Where the changes are now, to go back to with ``rewind``."""
        return len(self.made)

    def rewind(self, mark: int) -> None:
        """Take back every change made since ``mark``."""
        for found, key, sign, row, record_key in reversed(self.made[mark:]):
            _bump(found, key, -sign, row, record_key)
        del self.made[mark:]

    def _bump(self, found: dict[Key, list[Any]], key: Key, sign: int, row: Row,
              record_key: int) -> None:
        _bump(found, key, sign, row, record_key)
        self.made.append((found, key, sign, row, record_key))

    def write(self, connection: Connection) -> None:
        """Add these changes to the tables, in key order; counts that reach zero are removed."""
        _write(connection, AnswerCount.__table__, self.singles)  # type: ignore[arg-type]
        _write(connection, AnswerPairCount.__table__, self.pairs)  # type: ignore[arg-type]
        self.singles, self.pairs, self.made = {}, {}, []


def _bump(found: dict[Key, list[Any]], key: Key, sign: int, row: Row, record_key: int) -> None:
    entry = found.setdefault(key, [0, 0, row.number, 0, 0])
    entry[0] += sign
    entry[3] += sign * record_key
    if row.has_text:
        entry[1] += sign
        entry[4] += sign * record_key


def _write(connection: Connection, table: Table, found: dict[Key, list[Any]]) -> None:
    names = [column.name for column in table.primary_key.columns]
    changed = [{**dict(zip(names, key)), "answers": answers, "texts": texts, "number": number,
                "key_sum": keys, "text_key_sum": text_keys}
               for key, (answers, texts, number, keys, text_keys) in sorted(found.items())
               if answers or texts or keys]
    if not changed:
        return
    connection.execute(_upsert(connection, table), changed)
    emptied = [{f"k_{name}": row[name] for name in names} for row in changed if row["answers"] < 0]
    if emptied:
        key = and_(*(table.c[name] == bindparam(f"k_{name}") for name in names))
        connection.execute(delete(table).where(key, table.c.answers <= 0), emptied)


def _upsert(connection: Connection, table: Table) -> Any:
    dialect = {"sqlite": sqlite, "postgresql": postgresql}[connection.dialect.name]
    statement = dialect.insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={"answers": table.c.answers + statement.excluded.answers,
              "texts": table.c.texts + statement.excluded.texts,
              "key_sum": table.c.key_sum + statement.excluded.key_sum,
              "text_key_sum": table.c.text_key_sum + statement.excluded.text_key_sum})


# --- the session: changes wait for the commit ------------------------------


def pending() -> Changes:
    """The current transaction's count changes, written when it commits."""
    return db.session.info.setdefault(PENDING, Changes())


def count_answers(form: Form, organisation_id: int, day: datetime.date,
                  rows: Iterable[Mapping[str, Any]], record_key: int) -> None:
    """Count a stored submission's answer rows (as inserted into ``answers``) at the commit,
    under ``day``: ``interview_day`` of the submission."""
    pending().add(form, organisation_id, day, [
        Row(r["question"], r["position"], r.get("value"), r.get("number"), r.get("text") is not None)
        for r in rows], record_key)


def interview_day(time_zone: str | None, started_at: datetime.datetime | None,
                  received_at: datetime.datetime) -> datetime.date:
    """The day an interview is counted under: its organisation's day when it took place."""
    return local(moment(started_at, received_at), zone(time_zone)).date()


def uncount(submissions: ColumnElement[bool]) -> None:
    """Take away the counts of the submissions matching ``submissions``, before they are deleted."""
    changes = pending()
    for form, organisation_id, day, rows, record_key in _stored(db.session.connection(),
                                                                 submissions):
        changes.add(form, organisation_id, day, rows, record_key, sign=-1)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return
    changes: Changes | None = session.info.pop(PENDING, None)
    if changes is not None:
        changes.write(session.connection())


@event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop(MARKS, None)


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        changes: Changes | None = session.info.get(PENDING)
        session.info.setdefault(MARKS, {})[transaction] = changes.mark() if changes else 0


@event.listens_for(Session, "after_soft_rollback")
def _rewind_savepoint(session: Session, transaction: SessionTransaction) -> None:
    mark = session.info.get(MARKS, {}).pop(transaction, None)
    changes: Changes | None = session.info.get(PENDING)
    if transaction.nested and mark is not None and changes is not None:
        changes.rewind(mark)


# --- rebuilding from the answer table --------------------------------------


def recount(connection: Connection) -> int:
    """Rebuild both tables from the answer table; returns the submissions counted."""
    connection.execute(delete(AnswerPairCount.__table__))
    connection.execute(delete(AnswerCount.__table__))
    counted, last = 0, 0
    while ids := connection.scalars(select(Submission.id).where(Submission.id > last)
                                    .order_by(Submission.id).limit(RECOUNT_CHUNK)).all():
        changes = Changes()
        for form, organisation_id, day, rows, record_key in _stored(
                connection, Submission.id.between(ids[0], ids[-1])):
            changes.add(form, organisation_id, day, rows, record_key)
        changes.write(connection)
        counted, last = counted + len(ids), ids[-1]
    return counted


def digest(connection: Connection, *, keys: bool = True) -> str:
    """A fingerprint of both tables' contents, read in key order: equal counts, equal digests.

    ``keys=False`` leaves out the key sums: the counts alone.
    """
    found = hashlib.sha256()
    for table in (AnswerCount.__table__, AnswerPairCount.__table__):
        columns = [c for c in table.columns  # type: ignore[attr-defined]
                   if keys or c.name not in ("key_sum", "text_key_sum")]
        query = select(*columns).order_by(*table.primary_key.columns)  # type: ignore[attr-defined]
        for row in connection.execute(query.execution_options(yield_per=10_000)):
            found.update(repr(tuple(row)).encode())
    return found.hexdigest()


def _stored(connection: Connection, condition: ColumnElement[bool]
            ) -> Iterator[tuple[Form, int, datetime.date, list[Row], int]]:
    """Each matching submission's form version, organisation, day, answer rows and record key."""
    # Imported here: the form versions module needs consent records, which withdraw through us.

    query = (select(Submission.id, Submission.form_id, Submission.form_version,
                    Submission.organisation_id, Organisation.time_zone, Submission.started_at,
                    Submission.received_at, Submission.record_key, Answer.question,
                    Answer.position, Answer.value, Answer.number, Answer.text.is_not(None))
             .join(Answer, Answer.submission_id == Submission.id)
             .join(Organisation, Organisation.id == Submission.organisation_id)
             .where(condition).order_by(Submission.id))
    for _, found in itertools.groupby(connection.execute(query), key=lambda r: r[0]):
        answers = list(found)
        _, form_id, version, organisation_id, time_zone, started, received, record_key = (
            answers[0][:8])
        form = form_version(form_id, version)
        if form is None:
            raise LookupError(f"form {form_id} version {version} is not stored")
        day = interview_day(time_zone, started, received)
        yield form, organisation_id, day, [Row(*a[8:]) for a in answers], record_key
