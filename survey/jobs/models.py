"""A background job's state: who asked, for what scope, how far it is, and how it ended."""

from __future__ import annotations

import datetime
import enum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ..timeutil import utcnow


class Kind(enum.StrEnum):
    WORKBOOK = "workbook"    # the lead's workbook, with her organisation's Responses
    SHAREABLE = "shareable"  # the workbook to share: protected tables only
    RECOUNT = "recount"      # ``flask results recount``


class Status(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"      # its file was removed: downloaded, past its time, or a withdrawal


FINISHED = frozenset({Status.DONE, Status.FAILED, Status.EXPIRED})


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    kind: Mapped[Kind] = mapped_column(
        Enum(Kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    form_id: Mapped[str | None] = mapped_column(String(64))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[Status] = mapped_column(
        Enum(Status, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Status.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime.datetime | None]
    finished_at: Mapped[datetime.datetime | None]

    @property
    def pooled(self) -> bool:
        return self.organisation_id is None
