"""Consent records, refusals, withdrawals, and the consent register."""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..audit.log import record
from ..collect.models import Answer, Note, Submission
from ..db import db, take_write_lock
from ..forms.definition import Form
from ..forms.errors import FormConfigError
from ..results.counts import uncount
from .codes import find_participant, normalise_code
from .erasure import erase_deleted, transaction_id
from .tombstones import bury
from .models import (
    ConsentMethod,
    ConsentRecord,
    ConsentVersion,
    Participant,
    RefusalCount,
    RefusalReceipt,
    Withdrawal,
)


class ConsentError(ValueError):
    """Consent data that cannot be stored; ``field`` names the part."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class GivenConsent:
    """What she agreed to, before it is stored with her answers."""

    version: str
    language: str
    method: ConsentMethod
    given_at: datetime.datetime
    optional: Mapping[str, bool] = field(default_factory=dict)
    existing_code: str | None = None

    def as_data(self) -> dict[str, Any]:
        return {"version": self.version, "language": self.language, "method": self.method.value,
                "given_at": self.given_at.isoformat(), "optional": dict(self.optional),
                "existing_code": self.existing_code}

    @classmethod
    def from_data(cls, data: Any, form: Form) -> GivenConsent:
        if not isinstance(data, Mapping):
            raise ConsentError("consent", "missing: no answer is stored without consent")
        if data.get("version") != form.consent.version:
            raise ConsentError("consent.version", f"must be {form.consent.version}, the version shown")
        if data.get("language") not in form.languages:
            raise ConsentError("consent.language", "not a language of this form")
        try:
            method = ConsentMethod(data.get("method"))
        except ValueError:
            raise ConsentError("consent.method", "must be self, oral or oral_translator") from None
        try:
            given_at = datetime.datetime.fromisoformat(str(data.get("given_at")))
        except ValueError:
            raise ConsentError("consent.given_at", "must be a date and time (ISO 8601)") from None
        optional = data.get("optional") or {}
        names = {o.name for o in form.consent.optional}
        if not isinstance(optional, Mapping) or set(optional) - names or \
                not all(isinstance(v, bool) for v in optional.values()):
            raise ConsentError("consent.optional", f"must map {sorted(names)} to true or false")
        code = data.get("existing_code")
        if code is not None and not isinstance(code, str):
            raise ConsentError("consent.existing_code", "must be text")
        return cls(form.consent.version, data["language"], method, given_at,
                   {name: bool(optional.get(name, False)) for name in sorted(names)},
                   normalise_code(code) if code else None)


def record_consent_version(form: Form) -> None:
    """Keep the exact consent texts; a changed text under a used version is refused."""
    consent = form.consent
    row = db.session.get(ConsentVersion, (form.id, consent.version))
    if row is None:
        texts = {"text": dict(consent.text.translations),
                 "optional": {o.name: dict(o.label.translations) for o in consent.optional}}
        try:
            with db.session.begin_nested():
                db.session.add(ConsentVersion(form_id=form.id, version=consent.version,
                                              content_hash=consent.content_hash, texts=texts))
        except IntegrityError:
            row = db.session.get(ConsentVersion, (form.id, consent.version))
    if row is not None and row.content_hash != consent.content_hash:
        raise FormConfigError(form.source, consent.line,
                              f"the consent text of version {consent.version} has changed; "
                              "a changed consent text needs a new consent version")


def consent_record(form: Form, given: GivenConsent, participant: Participant,
                   recorded_by: User | None) -> ConsentRecord:
    return ConsentRecord(
        form_id=form.id, consent_version=given.version, language=given.language,
        method=given.method, recorded_by=recorded_by.id if recorded_by else None,
        given_at=given.given_at, optional=dict(given.optional), participant=participant,
    )


def count_refusal(form: Form, organisation_id: int, *, commit: bool = True) -> None:
    bump = update(RefusalCount).where(
        RefusalCount.form_id == form.id, RefusalCount.organisation_id == organisation_id
    ).values(count=RefusalCount.count + 1)
    if db.session.execute(bump).rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(RefusalCount(form_id=form.id, organisation_id=organisation_id, count=1))
        except IntegrityError:
            db.session.execute(bump)
    if commit:
        db.session.commit()


def count_offline_refusals(receipts: list[tuple[uuid.UUID, Form]], organisation_id: int) -> None:
    """Refusals a tablet counted offline; a receipt already counted is not counted again."""
    for receipt, form in receipts:
        if db.session.get(RefusalReceipt, receipt) is None:
            db.session.add(RefusalReceipt(uuid=receipt))
            db.session.flush()
            count_refusal(form, organisation_id, commit=False)
    db.session.commit()


@dataclass(frozen=True)
class WithdrawalResult:
    code: str
    submissions: int
    notes: int
    erased: bool = True
    """Whether the deleted rows are also gone from the database files."""


def withdrawal_preview(code: str, organisation_id: int) -> WithdrawalResult:
    participant = find_participant(code, organisation_id)
    submissions = select(Submission.id).where(Submission.participant_id == participant.id)
    return WithdrawalResult(
        participant.code,
        db.session.scalar(select(func.count()).select_from(submissions.subquery())) or 0,
        db.session.scalar(select(func.count()).select_from(Note).where(
            Note.submission_id.in_(submissions))) or 0,
    )


def withdraw(code: str, by: User, organisation_id: int) -> WithdrawalResult:
    """Delete every submission, note and consent under ``code``; keep only the withdrawal
    and the deleted submissions' UUIDs, so that no copy of them is ever stored again.

    She is locked first (the write lock on SQLite, her row on PostgreSQL), so no
    follow-up of hers is stored while her rows are counted out and deleted: the
    counts lose exactly what is deleted, and the result says what was.
    """
    take_write_lock(db.session)
    participant = find_participant(code, organisation_id, for_withdrawal=True)
    rows = db.session.execute(select(Submission.id, Submission.uuid).where(
        Submission.participant_id == participant.id).with_for_update()).all()
    submissions = [row.id for row in rows]
    uncount(Submission.id.in_(submissions))
    notes = db.session.execute(delete(Note).where(Note.submission_id.in_(submissions))).rowcount
    db.session.execute(delete(Answer).where(Answer.submission_id.in_(submissions)))
    deleted = db.session.execute(delete(Submission).where(Submission.id.in_(submissions))).rowcount
    db.session.execute(delete(ConsentRecord).where(ConsentRecord.participant_id == participant.id))
    db.session.execute(delete(Participant).where(Participant.id == participant.id))
    bury(row.uuid for row in rows)
    db.session.add(Withdrawal(code=participant.code, withdrawn_by=by.id,
                              organisation_id=organisation_id))
    record("withdrawal", "participant_code", participant.code, actor=by,
           organisation_id=organisation_id, commit=False)
    deleting = transaction_id()
    db.session.commit()
    return WithdrawalResult(participant.code, deleted, notes, erase_deleted(deleting))


@dataclass
class Register:
    counts: Counter[tuple[str, str, str]]
    refusals: int
    withdrawals: list[Withdrawal]
    participants: list[tuple[str, ConsentRecord]]


def register(form: Form, organisation_id: int) -> Register:
    """One organisation's counts, and codes with their consents; never answers."""
    records = db.session.execute(
        select(Participant.code, ConsentRecord)
        .join(ConsentRecord, ConsentRecord.participant_id == Participant.id)
        .where(ConsentRecord.form_id == form.id, Participant.organisation_id == organisation_id)
        .order_by(Participant.code, ConsentRecord.given_at)
    ).all()
    counts = Counter((r.consent_version, r.method.value, r.language) for _, r in records)
    refusals = db.session.scalar(select(RefusalCount.count).where(
        RefusalCount.form_id == form.id, RefusalCount.organisation_id == organisation_id))
    withdrawals = db.session.scalars(select(Withdrawal).where(
        Withdrawal.organisation_id == organisation_id).order_by(Withdrawal.withdrawn_at)).all()
    return Register(counts, refusals or 0, list(withdrawals), [(code, r) for code, r in records])
