from __future__ import annotations

import datetime

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from . import append_only
from ..timeutil import utcnow


class AuditEvent(db.Model):
    """Who did what to which object, and when (UTC). Rows are only ever inserted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime.datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80))


@event.listens_for(AuditEvent.__table__, "after_create")
def _append_only(table: object, connection: Connection, **_: object) -> None:
    append_only.install(connection)
