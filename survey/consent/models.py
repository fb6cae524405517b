from __future__ import annotations

import datetime
import enum
import uuid as uuid_module
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from ..timeutil import utcnow


class ConsentMethod(enum.StrEnum):
    SELF = "self"                        # she ticked the box herself
    ORAL = "oral"                        # the interviewer read it and recorded her yes
    ORAL_TRANSLATOR = "oral_translator"  # a translator read it, the interviewer recorded


class Participant(db.Model):
    """A participant, known only by a code that names no one (unique in her organisation)."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class ConsentVersion(db.Model):
    """The exact consent texts of one version, as participants saw them."""

    __tablename__ = "consent_versions"

    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    texts: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class ConsentRecord(db.Model):
    """Her consent: to which text version, in which language, how, and recorded by whom."""

    __tablename__ = "consents"
    __table_args__ = (
        ForeignKeyConstraint(["form_id", "consent_version"],
                             ["consent_versions.form_id", "consent_versions.version"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64))
    consent_version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(35))
    method: Mapped[ConsentMethod] = mapped_column(
        Enum(ConsentMethod, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    given_at: Mapped[datetime.datetime]
    optional: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)

    participant: Mapped[Participant] = relationship()


class RefusalCount(db.Model):
    """Refusals are only counted: nothing about the person is kept."""

    __tablename__ = "consent_refusals"

    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class RefusalReceipt(db.Model):
    """A random id the tablet gave a refusal, so a count sent twice is counted once.
    It says nothing about her: no time, no form, no interviewer."""

    __tablename__ = "refusal_receipts"

    uuid: Mapped[uuid_module.UUID] = mapped_column(primary_key=True)


class Withdrawal(db.Model):
    """A participant withdrew: only the code, the time and who recorded it are kept."""

    __tablename__ = "withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    withdrawn_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CodeSequence(db.Model):
    """The last number an organisation gave out for codes starting with ``stem``."""

    __tablename__ = "code_sequences"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    stem: Mapped[str] = mapped_column(String(60), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
