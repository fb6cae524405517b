"""The unlock page, the health check, and "lock now" for leads and admins."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from ..accounts.auth import allow, csrf, limiter, public
from ..accounts.models import Role
from ..db import db
from . import channel
from .errors import VaultError, WrongPassphrase

UNLOCK_LIMIT = "10 per minute"

bp = Blueprint("vault", __name__, template_folder="templates")

# The shared tablet has its own /unlock (the PIN): the server's are under /vault.


@bp.route("/vault/unlock", methods=["GET", "POST"])
@public
@csrf.exempt  # a forged unlock needs the passphrase itself; a locked worker has no signing key
@limiter.limit(UNLOCK_LIMIT, methods=["POST"])
def unlock() -> str | Response | tuple[str, int]:
    vault = current_app.extensions["vault"]
    if vault.unlocked:
        return redirect(url_for("home.index"))
    if request.method == "GET":
        return render_template("vault/unlock.html", exists=vault.exists)
    try:
        dek = vault.unlock(request.form.get("passphrase", ""))
    except WrongPassphrase:
        return render_template("vault/unlock.html", exists=True,
                               error=_("This passphrase does not open the server.")), 403
    except VaultError as exc:
        return render_template("vault/unlock.html", exists=vault.exists, error=str(exc)), 503
    channel.broadcast(_sockets(), channel.UNLOCK + dek)
    return redirect(url_for("home.index"))


@bp.get("/health")
@public
def health() -> Response | tuple[Response, int]:
    """Locked: nothing more to check, the data cannot be opened. Unlocked: the database answers."""
    if not current_app.extensions["vault"].unlocked:
        return jsonify(status="locked")
    status = "unlocked"
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status=status, database="unreachable"), 503
    return jsonify(status=status, database="ok")


@bp.route("/vault/lock", methods=["GET", "POST"])
@allow(Role.LEAD, Role.ADMIN)
def lock() -> str | Response:
    """Panic: the keys leave the memory of every worker at once; everyone is logged out."""
    if request.method == "GET" or request.form.get("lock") != "now":
        return render_template("vault/lock.html")
    channel.broadcast(_sockets(), channel.LOCK)
    db.session.remove()  # this request's connection too is closed with the others
    current_app.extensions["vault"].lock()
    return redirect(url_for("vault.unlock"))


def _sockets() -> Path:
    return Path(current_app.config["VAULT_SOCKET_DIR"])
