"""Taking in a batch of sealed records: open, re-validate as the web flow does, store each once.

Every record gets its own result. All records are opened and checked before the
transaction starts, so the write lock is held only for the inserts; each record
is written under its own SAVEPOINT, so a record the database refuses leaves no
row behind and the others in place, and the batch commits once.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ..accounts.models import User
from ..collect.models import Submission
from ..collect.notes import NoteError, checked_notes
from ..collect.storage import SubmissionConflict, add_submission, one_transaction
from ..consent.codes import CodeError
from ..consent.models import ConsentMethod, ConsentVersion
from ..db import db
from ..consent.records import ConsentError, GivenConsent
from ..consent.tombstones import code_withdrawn, withdrawn_uuids
from ..forms.definition import Form
from ..forms.errors import FormConfigError
from ..forms.validation import is_blank, validate
from ..forms.catalog import form_version
from ..forms.versions import record_version
from ..i18n import gettext_in, registry, ui_language
from ..organisations.access import forms_for
from . import keys
from .errors import ApiError
from .sealing import SealError, Sealed, unseal
from .shape import ShapeError, check_shape, parse


@dataclass(frozen=True)
class Result:
    """What became of one record; the tablet deletes it only when ``settled`` is true."""

    uuid: Any
    status: str
    participant_code: str | None = None
    field: str | None = None
    message: str | None = None

    HTTP: ClassVar[dict[str, int]] = {
        "stored": 201, "duplicate": 200, "conflict": 409, "withdrawn": 410, "invalid": 422,
        "retry": 503}

    @property
    def kept(self) -> bool:
        """Whether the server holds the record."""
        return self.status in ("stored", "duplicate")

    @property
    def settled(self) -> bool:
        """Whether the tablet is done with it: held here, or withdrawn and never to be stored."""
        return self.kept or self.status == "withdrawn"

    def as_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"uuid": self.uuid, "status": self.status,
                                  "http": self.HTTP[self.status]}
        if self.participant_code:
            result["participant_code"] = self.participant_code
        if self.field or self.message:
            result["error"] = {"field": self.field, "message": self.message}
        return result


class Invalid(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Record:
    """An opened record whose every part has been checked against its form version."""

    uuid: uuid.UUID
    form: Form
    language: str
    answers: dict[str, Any]
    consent: GivenConsent
    notes: list[tuple[str | None, dict[str, Any]]]
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    collector: str | None = None


def read_body(body: bytes) -> Any:
    """The parsed JSON of an upload; ``ApiError`` 400 naming ``records`` if it is not JSON."""
    try:
        return parse(body)
    except ShapeError as error:
        raise ApiError(400, error.message, error.field) from None


def read_envelope(body: Any, max_batch: int | None) -> list[Any]:
    """The records of an upload ``{"records": [...]}``; raises ``ApiError`` for any other shape."""
    if not isinstance(body, Mapping) or not isinstance(body.get("records"), list):
        raise ApiError(400, 'The body must be JSON: {"records": [...]}.', "records")
    records = body["records"]
    if max_batch is not None and len(records) > max_batch:
        raise ApiError(413, f"At most {max_batch} records in one upload; this one has "
                            f"{len(records)}. Send them in smaller batches.", "records")
    return records


def read_refusals(body: Any, user: User) -> list[tuple[uuid.UUID, Form]]:
    """The refusal receipts of ``{"refusals": [{"uuid", "form_id"}]}``; 400 naming the field."""
    items = body.get("refusals") if isinstance(body, Mapping) else None
    if not isinstance(items, list):
        raise ApiError(400, 'The body must be JSON: {"refusals": [...]}.', "refusals")
    runs = {form.id: form for form in forms_for(user)}
    receipts = []
    for index, item in enumerate(items):
        field = f"refusals[{index}]"
        if not isinstance(item, Mapping) or item.get("form_id") not in runs:
            raise ApiError(400, "each refusal needs a uuid and a survey your organisation runs",
                           f"{field}.form_id")
        try:
            receipts.append((uuid.UUID(str(item.get("uuid"))), runs[item["form_id"]]))
        except ValueError:
            raise ApiError(400, "not a UUID", f"{field}.uuid") from None
    return receipts


def ingest(records: Sequence[Any], user: User, organisation_id: int) -> list[Result]:
    """Store each record that is new and valid, in one transaction; a result for every record."""
    pair = keys.current()
    runs = {form.id for form in forms_for(user)}
    opened = [_open(record, pair, runs) for record in records]
    with one_transaction():
        versions = _record_versions(item.form for item in opened if isinstance(item, Record))
        buried = withdrawn_uuids(item.uuid for item in opened if isinstance(item, Record))
        results = [item if isinstance(item, Result) else _isolated(item, user, organisation_id, buried)
                   for item in opened]
    del versions
    return results


WITHDRAWN = "She withdrew: this record is not stored and is no longer needed on the tablet."


def _isolated(record: Record, user: User, organisation_id: int, buried: set[uuid.UUID]) -> Result:
    """One record stored under its own SAVEPOINT: a refusal by the database undoes all of it.

    A fault of the database itself (``OperationalError``: a lock timeout, a deadlock,
    a full disk) is not the record's fault and ends the whole upload as busy."""
    if record.uuid in buried or _under_withdrawn_code(record, organisation_id):
        return Result(str(record.uuid), "withdrawn", message=WITHDRAWN)
    try:
        with db.session.begin_nested():
            result = _store(record, user, organisation_id)
            if _buried_meanwhile(record, result, organisation_id):
                raise _Withdrawn
            return result
    except _Withdrawn:
        return Result(str(record.uuid), "withdrawn", message=WITHDRAWN)
    except OperationalError:
        raise
    except DBAPIError as error:
        return Result(str(record.uuid), "invalid", field="record",
                      message=f"the database refused this record ({type(error.orig).__name__})")


class _Withdrawn(Exception):
    """She withdrew while her record was being stored: undo it."""


def _under_withdrawn_code(record: Record, organisation_id: int) -> bool:
    code = record.consent.existing_code
    return bool(code) and code_withdrawn(code, organisation_id)


def _buried_meanwhile(record: Record, result: Result, organisation_id: int) -> bool:
    """Whether a withdrawal committed while this record was stored (on PostgreSQL, where
    writers overlap): looked up again after the insert, which waited for any withdrawal
    deleting the same UUID, so the withdrawal's tombstones are visible now."""
    if result.status == "stored":
        return bool(withdrawn_uuids([record.uuid]))
    return result.field == "consent.existing_code" and _under_withdrawn_code(record, organisation_id)


def _record_versions(forms: Iterable[Form]) -> list[object]:
    """Each form version of the batch recorded once. Holding the rows keeps them in the
    session's identity map, so the check for every record does not reload the definition;
    a version that cannot be recorded is reported on each of its records."""
    rows: list[object] = []
    for form in {(f.id, f.version): f for f in forms}.values():
        try:
            rows += [record_version(form),
                     db.session.get(ConsentVersion, (form.id, form.consent.version))]
        except FormConfigError:
            continue
    return rows


def _open(raw: Any, pair: keys.KeyPair, runs: set[str]) -> Record | Result:
    label = _label(raw)
    try:
        check_shape(raw)
        sealed = Sealed.from_json(raw)
        record_uuid = _uuid(sealed.uuid)
        data = unseal(sealed, pair)
        check_shape(data)
        if data.get("uuid") != sealed.uuid:
            raise Invalid("uuid", "the sealed record names another uuid")
        return _checked(record_uuid, data, runs)
    except (SealError, ShapeError, Invalid, ConsentError, NoteError) as error:
        message = getattr(error, "message", str(error).partition(": ")[2])
        return Result(label, "invalid", field=error.field, message=message)


def _label(raw: Any) -> str | None:
    """The record's uuid as the tablet sent it, to find the record by; None if it is no uuid."""
    value = raw.get("uuid") if isinstance(raw, Mapping) else None
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        check_shape(value)
    except ShapeError:
        return None
    return value


def _checked(record_uuid: uuid.UUID, data: dict[str, Any], runs: set[str]) -> Record:
    form = _form(data, runs)
    language = data.get("language")
    if not isinstance(language, str) or language not in form.languages:
        raise Invalid("language", f"must be one of {', '.join(form.languages)}")
    answers = _answers(form, data.get("answers"))
    consent = GivenConsent.from_data(_consent(data.get("consent")), form)
    return Record(record_uuid, form, language, answers, consent,
                  _notes(form, data.get("notes"), answers),
                  _time(data.get("started_at"), "started_at"),
                  _time(data.get("finished_at"), "finished_at"),
                  _collector_name(data.get("collected_by")))


def _form(data: Mapping[str, Any], runs: set[str]) -> Form:
    form_id = data.get("form_id")
    if not isinstance(form_id, str) or form_id not in runs:
        raise Invalid("form_id", f"your organisation runs no survey called {form_id!r}")
    version = data.get("form_version")
    form = form_version(form_id, str(version)) if isinstance(version, (str, int)) else None
    if form is None:
        raise Invalid("form_version", f"this server has no version {version!r} of {form_id!r}")
    return form


def _answers(form: Form, answers: Any) -> dict[str, Any]:
    if not isinstance(answers, Mapping):
        raise Invalid("answers", "must be an object of question name to answer")
    try:
        result = validate(form, answers)
    except (TypeError, AttributeError, ValueError, OverflowError):
        raise Invalid(f"answers.{_culprit(form, answers)}", "not a value this question takes") from None
    if result.unknown:
        raise Invalid(f"answers.{result.unknown[0]}", "not a question of this form version")
    for name, error in result.errors.items():
        raise Invalid(f"answers.{name}", error.translated(ui_language()))
    for name, value in answers.items():
        if name not in result.answers and not is_blank(value):
            raise Invalid(f"answers.{name}", "this question is not asked after these answers "
                                             "(skip logic hides it); leave it out")
    return result.answers


def _culprit(form: Form, answers: Mapping[str, Any]) -> str:
    """The answer that a question type could not even look at, found by checking each alone."""
    for name in answers:
        try:
            validate(form, answers, only={name})
        except (TypeError, AttributeError, ValueError, OverflowError):
            return name
    return "?"


def _notes(form: Form, notes: Any, answers: Mapping[str, Any]) -> list[tuple[str | None, dict]]:
    if notes is None:
        return []
    if not isinstance(notes, Mapping):
        raise Invalid("notes", "must be an object of question name to note")
    for key, note in notes.items():
        if isinstance(note, Mapping) and not isinstance(note.get("language"), str):
            raise Invalid(f"notes.{key}.language", "must be a language code, e.g. en")
    questions = {question.name for question in form.questions()}
    kept = {key: note for key, note in notes.items() if key in answers or key not in questions}
    return checked_notes(kept, answers, registry())


def _consent(consent: Any) -> Any:
    """Her consent with its time in UTC; the parts ``GivenConsent`` would not name are checked here."""
    if not isinstance(consent, Mapping):
        return consent
    for name in ("version", "language", "method", "given_at"):
        if not isinstance(consent.get(name), str):
            raise Invalid(f"consent.{name}", "must be text")
    if consent.get("method") not in {method.value for method in ConsentMethod}:
        raise Invalid("consent.method", "must be " + ", ".join(m.value for m in ConsentMethod))
    return {**consent, "given_at": _moment(consent.get("given_at"), "consent.given_at").isoformat()}


def _time(value: Any, field: str) -> datetime.datetime | None:
    return None if value is None else _moment(value, field)


def _moment(value: Any, field: str) -> datetime.datetime:
    """An ISO 8601 time as naive UTC, the way the database keeps times; naive input is UTC."""
    try:
        moment = datetime.datetime.fromisoformat(value if isinstance(value, str) else "")
        if moment.tzinfo is not None:
            moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    except ValueError:
        raise Invalid(field, "must be an ISO 8601 time, e.g. 2026-03-31T09:15:00Z") from None
    except OverflowError:
        raise Invalid(field, "is outside the years 1 to 9999 once taken to UTC") from None
    return moment


def _collector_name(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise Invalid("collected_by", "must be the username of the interviewer")
    return value


def _collector(record: Record, uploader: User, organisation_id: int) -> User:
    """Whose interview it was: a tablet may be synced by a colleague, never by another
    organisation, whose upload would otherwise carry it across."""
    if record.collector is None or record.collector == uploader.username:
        return uploader
    user = db.session.scalar(select(User).where(
        User.username == record.collector, User.organisation_id == organisation_id))
    if user is None:
        raise Invalid("collected_by", f"{record.collector!r} does not collect for your organisation")
    return user


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Invalid("uuid", "not a UUID") from None


def _store(record: Record, user: User, organisation_id: int) -> Result:
    label = str(record.uuid)
    try:
        user = _collector(record, user, organisation_id)
    except Invalid as error:
        return Result(label, "invalid", field=error.field, message=error.message)
    other = db.session.scalar(select(Submission).where(Submission.uuid == record.uuid))
    if other is not None and (other.form_id, other.organisation_id) != (record.form.id, organisation_id):
        return Result(label, "conflict", field="uuid", message=f"another record {label} is already "
                      "stored; every record needs its own uuid")
    try:
        submission, new = add_submission(
            record.form, record.uuid, record.language, record.answers, record.consent,
            organisation_id=organisation_id, started_at=record.started_at,
            finished_at=record.finished_at, collected_by=user, notes=record.notes)
    except SubmissionConflict as error:
        return Result(label, "conflict", field="uuid", message=str(error))
    except CodeError as error:
        return Result(label, "invalid", field="consent.existing_code",
                      message=gettext_in(ui_language(), str(error)))
    except FormConfigError as error:
        return Result(label, "invalid", field="form_version", message=error.message)
    except IntegrityError:
        return Result(label, "retry", message="The server could not store it just now; send it again.")
    if submission.organisation_id != organisation_id:
        return Result(label, "conflict", field="uuid",
                      message=f"submission {label} is already stored with different content")
    if not new and (differs := _differs(submission, record, user)):
        return Result(label, "conflict", field=differs,
                      message=f"submission {label} is already stored with another {differs}")
    participant = submission.participant
    if participant is None:  # she withdrew between finding the record and reading her code
        return Result(label, "withdrawn", message=WITHDRAWN)
    return Result(label, "stored" if new else "duplicate", participant_code=participant.code)


def _differs(stored: Submission, record: Record, collector: User) -> str | None:
    """The first of the times and the interviewer where a repeat differs from what is stored."""
    for field, value, sent in (("started_at", stored.started_at, record.started_at),
                               ("finished_at", stored.finished_at, record.finished_at),
                               ("collected_by", stored.collected_by, collector.id)):
        if value != sent:
            return field
    return None
