from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from ..accounts.auth import allow
from ..accounts.models import Role, User
from ..db import db
from ..organisations.access import organisation_of
from .models import AuditEvent

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")

READERS = (Role.ADMIN, Role.LEAD)
PAGE_SIZE = 500


@bp.get("/")
@allow(*READERS)
def index() -> str:
    """Her organisation's audit trail, newest first. Nobody can change it from the app."""
    rows = db.session.execute(
        select(AuditEvent, User.username)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.organisation_id == organisation_of(current_user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE)
    ).all()
    return render_template("audit/index.html", rows=rows)
