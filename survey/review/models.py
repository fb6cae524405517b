"""Translators' notes on form texts, and which texts they checked.

The texts are the form's: every organisation running it reads the same ones.
Notes and review marks are each organisation's own (``organisation_id``);
those of an admin of no organisation have none, and only accounts of no
organisation see them.
"""

from __future__ import annotations

import datetime
import hashlib

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ..timeutil import utcnow


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class TextReview(db.Model):
    """A translator checked this text in this language, as it read then.

    A review counts only while the text is unchanged: ``text_hash`` is the
    hash of the translation that was reviewed.
    """

    __tablename__ = "text_reviews"
    __table_args__ = (
        UniqueConstraint("organisation_id", "form_id", "key", "language"),
        # NULLs are distinct in a unique constraint: one mark per text for no organisation too.
        Index("uq_text_reviews_unowned", "form_id", "key", "language", unique=True,
              sqlite_where=sql_text("organisation_id IS NULL"),
              postgresql_where=sql_text("organisation_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    form_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(35))
    text_hash: Mapped[str] = mapped_column(String(64))
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class TextNote(db.Model):
    """A translator's note on the words chosen for one text in one language."""

    __tablename__ = "text_notes"
    __table_args__ = (Index("ix_text_notes_organisation_id_form_id", "organisation_id", "form_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    form_id: Mapped[str] = mapped_column(String(64), index=True)
    key: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(35))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
