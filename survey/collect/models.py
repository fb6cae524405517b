from __future__ import annotations

import datetime
import secrets
import uuid

from sqlalchemy import (
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..consent.models import ConsentRecord, Participant
from ..db import db
from ..results.perturbation import new_record_key
from ..timeutil import utcnow
from ..vault.fields import SealedText


def new_public_id() -> str:
    """128 random bits: the id of a record in URLs, never guessable or sequential."""
    return secrets.token_hex(16)


class Submission(db.Model):
    """One completed questionnaire. ``uuid`` is made by the client: the idempotency key."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("form_id", "uuid"),
        Index("ix_submissions_scope", "form_id", "organisation_id", "received_at"),
        ForeignKeyConstraint(
            ["form_id", "form_version"], ["form_versions.form_id", "form_versions.version"]
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    uuid: Mapped[uuid.UUID] = mapped_column(index=True, unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    form_version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(35))
    content_hash: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime.datetime | None]
    finished_at: Mapped[datetime.datetime | None]
    received_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    collected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # No answer without consent: the database refuses a submission with no consent record.
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    # The answers as given, one JSON object, written with the answer rows (``documents``):
    # the Responses sheet reads it (deferred: nothing else loads it). NULL only where a process
    # older than this column stored it.
    answers_json: Mapped[str | None] = mapped_column(SealedText("submissions.answers_json"),
                                                     deferred=True)
    # Random, secret: the sum of a cell's record keys picks its noise (``results.perturbation``).
    record_key: Mapped[int] = mapped_column(default=new_record_key, server_default="0")

    consent: Mapped[ConsentRecord] = relationship()
    participant: Mapped[Participant] = relationship()

    answers: Mapped[list[Answer]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Answer.id",
    )
    notes: Mapped[list[Note]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Note.id",
    )


class Answer(db.Model):
    """One row per scalar answer, or per item of a list answer.

    Coded answers (choices, numbers, dates) are in ``value``; free text is in
    ``text``, with ``original_text`` holding what was typed when it had to be
    converted (Zawgyi), and ``flags`` marking text a person must check. A
    relevant question left blank has a row with ``value``, ``number`` and
    ``text`` NULL; a question that was not relevant has no row.

    Neither results nor the Responses sheet scan this table: they read the
    counts kept as answers arrive (``survey.results.counts``) and each
    submission's ``answers_json`` (``survey.collect.documents``).
    ``form_id`` and ``organisation_id`` repeat the submission's.
    """

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("submission_id", "question", "position"),
        Index("ix_answers_question_value", "question", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    # The submission's form and organisation, repeated: set when the rows are inserted.
    form_id: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    question: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    value: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[float | None] = mapped_column(Float)
    # Encrypted on PostgreSQL (``survey.vault.fields``); the coded columns above stay plain.
    text: Mapped[str | None] = mapped_column(SealedText("answers.text"))
    original_text: Mapped[str | None] = mapped_column(SealedText("answers.original_text"))
    flags: Mapped[str | None] = mapped_column(String(64))

    submission: Mapped[Submission] = relationship(back_populates="answers")


class Note(db.Model):
    """A note the interviewer or translator attached to a question, or to the whole interview."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    question: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(SealedText("notes.body"))
    original_body: Mapped[str | None] = mapped_column(SealedText("notes.original_body"))
    language: Mapped[str] = mapped_column(String(35))
    is_translation: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class InterviewDraft(db.Model):
    """An interview in progress, sealed (``survey.collect.drafts``); deleted when it ends."""

    __tablename__ = "interview_drafts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
