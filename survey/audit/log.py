"""Writing the audit trail."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from ..accounts.models import User
from ..db import db
from .models import AuditEvent


def record(action: str, object_type: str | None = None, object_id: object = None, *,
           actor: User | None = None, organisation_id: int | None = None,
           commit: bool = True) -> None:
    """Append one event. ``actor`` defaults to the logged-in user, if any."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    db.session.add(AuditEvent(
        action=action, actor_id=actor.id if actor else None,
        actor_role=str(actor.role) if actor else None,
        organisation_id=organisation_id if organisation_id is not None
        else (actor.organisation_id if actor else None),
        object_type=object_type, object_id=None if object_id is None else str(object_id),
    ))
    if commit:
        db.session.commit()
