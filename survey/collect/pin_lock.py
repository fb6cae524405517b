"""Wrong PINs are counted on the server; a few in a row lock the tablet.

The count is kept for her login session and for her over all her logins, so
neither a dropped cookie nor a second tablet gives an attacker more guesses.
An attempt is counted before the PIN is checked, so guesses sent together are
counted together. A right PIN clears both counts; the last wrong one allowed
ends all her logins, and only her password brings her back.
"""

from __future__ import annotations

import enum
import hashlib

from flask import current_app, session
from sqlalchemy import ForeignKey, String, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts import sessions
from ..accounts.models import User
from ..accounts.passwords import verify_password
from ..accounts.users import revoke_sessions
from ..audit.log import record
from ..db import db

ALL_LOGINS = ""


class PinAttempts(db.Model):
    """Wrong PINs since the last right one, for one login (its token hash) or all of hers."""

    __tablename__ = "pin_attempts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)


class PinResult(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"
    LOCKED = "locked"


def check(user: User, pin: str) -> PinResult:
    """Check her PIN; audited whatever the outcome. LOCKED means she is logged out."""
    limit = current_app.config["PIN_ATTEMPTS"]
    attempts = max(_count_attempt(user, ALL_LOGINS), _count_attempt(user, _this_login()))
    db.session.commit()  # counted even if this request dies before the answer
    if attempts <= limit and verify_password(user.pin_hash, pin):
        _clear(user)
        record("pin_unlocked", "user", user.id)
        return PinResult.RIGHT
    if attempts <= limit:
        record("pin_failed", "user", user.id)
    if attempts < limit:
        return PinResult.WRONG
    _lock(user)
    return PinResult.LOCKED


def _this_login() -> str:
    """The login's key: the hash of its session token, as ``user_sessions`` keeps it."""
    return hashlib.sha256(str(session.get(sessions.SESSION_KEY, "")).encode()).hexdigest()


def _count_attempt(user: User, login: str) -> int:
    """One more attempt, in one statement, so requests sent together all count."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[db.engine.dialect.name]
    statement = dialect.insert(PinAttempts).values(user_id=user.id, login=login, failures=1)
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "login"],
        set_={"failures": PinAttempts.__table__.c.failures + 1},
    ).returning(PinAttempts.failures)
    return db.session.execute(statement).scalar_one()


def _clear(user: User) -> None:
    db.session.execute(delete(PinAttempts).where(PinAttempts.user_id == user.id))
    db.session.commit()


def _lock(user: User) -> None:
    """End all her logins: the tablet shows the login page, and only her password unlocks it."""
    revoke_sessions(user)
    record("pin_locked", "user", user.id, commit=False)
    _clear(user)
    sessions.end()
