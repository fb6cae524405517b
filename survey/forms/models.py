from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ..timeutil import utcnow


class FormVersion(db.Model):
    """A version of a form as it was when answers were collected under it."""

    __tablename__ = "form_versions"

    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    loaded_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    # Set once, when the version is published (web UI or `flask forms load`); the latest
    # published version of a form is the one the server offers.
    published_at: Mapped[datetime.datetime | None]
    source: Mapped[str | None] = mapped_column(Text)


class CatalogStamp(db.Model):
    """One row, changed on every publish: each worker compares it with the stamp of the
    forms it holds, and reloads the published forms when it differs."""

    __tablename__ = "form_catalog_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[int] = mapped_column(default=0)


class FormDraft(db.Model):
    """An uploaded form file waiting to be previewed and published; never served."""

    __tablename__ = "form_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
