"""Server-side login sessions: a new id at login, revoked at logout, idle and absolute timeouts."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from flask import Flask, current_app, session
from flask_login import login_user, logout_user

from ..db import db
from ..timeutil import utcnow
from .models import User, UserSession

SESSION_KEY = "sid"
TOUCH_EVERY = datetime.timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> None:
    """Log ``user`` in under a fresh session id; all but her language choice is dropped."""
    language = session.get("ui_language")
    session.clear()
    if language:
        session["ui_language"] = language
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_hash(token), user_id=user.id))
    db.session.commit()
    session[SESSION_KEY] = token
    session.permanent = True
    login_user(user)


def end() -> None:
    """Revoke the current session on the server, then forget it in the browser."""
    row = _current()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
    logout_user()
    session.clear()


def _current() -> UserSession | None:
    token = session.get(SESSION_KEY)
    return db.session.get(UserSession, _hash(token)) if isinstance(token, str) else None


def _expired(row: UserSession, now: datetime.datetime) -> bool:
    config = current_app.config
    idle = datetime.timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    lifetime = datetime.timedelta(hours=config["SESSION_LIFETIME_HOURS"])
    return row.revoked_at is not None or now - row.last_seen > idle or now - row.created_at > lifetime


def check() -> None:
    """Before each request: a login whose server session is gone or timed out is ended."""
    if "_user_id" not in session:
        return
    row = _current()
    now = utcnow()
    if row is None or str(row.user_id) != session.get("_user_id") or _expired(row, now):
        logout_user()
        session.clear()
        return
    if now - row.last_seen > TOUCH_EVERY:
        row.last_seen = now
        db.session.commit()


def init_app(app: Flask) -> None:
    app.permanent_session_lifetime = datetime.timedelta(hours=app.config["SESSION_LIFETIME_HOURS"])
    app.before_request(check)
