from __future__ import annotations

import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ..timeutil import utcnow


class Organisation(db.Model):
    """A community-based organisation. Its raw data is seen by its own people only."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    # An IANA name like Asia/Yangon; None: the server's DEFAULT_TIME_ZONE (survey.organisations.zones).
    time_zone: Mapped[str | None] = mapped_column(String(64))


class FormAssignment(db.Model):
    """An organisation runs a survey; several organisations may run the same one."""

    __tablename__ = "form_assignments"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64), primary_key=True)
