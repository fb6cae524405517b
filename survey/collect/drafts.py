"""Interviews in progress, kept on the server and sealed: the tablet holds only an opaque id.

No answer travels in a page or its address, so nothing the browser stores (its history,
its session-restore files, its cache) holds one. Each draft is sealed with AES-GCM under
a key derived from the app's secret and a random key kept in this login's session: the
server's copy alone cannot be opened, a logout (which clears the session) leaves the
drafts of that login unreadable, and a draft is deleted when its interview ends.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import secrets
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, session
from flask_login import current_user
from sqlalchemy import delete as sql_delete

from ..db import db
from ..vault.envelope import seal, unseal
from ..vault.errors import WrongPassphrase
from ..timeutil import utcnow
from .models import InterviewDraft

KEY = "draft_key"


def _key(create: bool) -> bytes | None:
    token = session.get(KEY)
    if not isinstance(token, str):
        if not create:
            return None
        token = session[KEY] = base64.urlsafe_b64encode(os.urandom(32)).decode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32,
                   salt=str(current_app.config["SECRET_KEY"]).encode(),
                   info=b"interview drafts").derive(base64.urlsafe_b64decode(token))
    return derived


def _seal(draft_id: str, form_id: str, data: dict[str, Any]) -> bytes:
    plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return seal(_key(create=True), plain, f"{draft_id}/{form_id}".encode())


def create(form_id: str, data: dict[str, Any]) -> str:
    """A new draft of ``current_user`` for ``form_id``; returns its id."""
    _forget_old()
    draft_id = secrets.token_urlsafe(24)
    db.session.add(InterviewDraft(id=draft_id, user_id=current_user.id, form_id=form_id,
                                  sealed=_seal(draft_id, form_id, data)))
    db.session.commit()
    return draft_id


def load(form_id: str, draft_id: str) -> dict[str, Any] | None:
    """The draft's data, or None if it is not this login's, has ended or cannot be opened."""
    row = db.session.get(InterviewDraft, draft_id)
    key = _key(create=False)
    if row is None or key is None or row.user_id != current_user.id or row.form_id != form_id:
        return None
    try:
        plain = unseal(key, row.sealed, f"{draft_id}/{form_id}".encode())
    except WrongPassphrase:
        return None
    return json.loads(plain)


def save(form_id: str, draft_id: str, data: dict[str, Any]) -> None:
    row = db.session.get(InterviewDraft, draft_id)
    if row is not None and row.user_id == current_user.id:
        row.sealed = _seal(draft_id, form_id, data)
        db.session.commit()


def delete(draft_id: str) -> None:
    """End a draft of this login (finished, refused or left by the quick exit)."""
    db.session.execute(sql_delete(InterviewDraft).where(
        InterviewDraft.id == draft_id, InterviewDraft.user_id == current_user.id))
    db.session.commit()


def _forget_old() -> None:
    """Drafts no login can still open: older than the longest session."""
    hours = current_app.config["SESSION_LIFETIME_HOURS"]
    cutoff = utcnow() - datetime.timedelta(hours=hours)
    db.session.execute(sql_delete(InterviewDraft).where(InterviewDraft.updated_at < cutoff))
