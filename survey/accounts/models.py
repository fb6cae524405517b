from __future__ import annotations

import datetime
import enum

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ..timeutil import utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"              # manages organisations, users and forms
    LEAD = "lead"                # a CBO lead: her organisation's data, results and people
    INTERVIEWER = "interviewer"  # collects and syncs; sees only her own recent submissions
    TRANSLATOR = "translator"    # reviews and annotates translations; sees no answers
    FORM_AUTHOR = "form_author"  # uploads, previews and publishes forms; sees no answers


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Unlocks the interviewer's screens after she handed the tablet to a participant.
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:
        return self.active


class UserSession(db.Model):
    """A login, kept on the server so logout and timeouts really end it.

    The cookie holds a random token; only its hash is stored here.
    """

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime.datetime | None]
