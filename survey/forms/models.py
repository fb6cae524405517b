from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import JSON, String
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
