"""The locked server: only the unlock page, the health check and static files answer. The
tablets' upload is told 503 with Retry-After, so their queue keeps every record for later."""

from __future__ import annotations

from flask import (Flask, Response, current_app, jsonify, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _

OPEN_WHEN_LOCKED = frozenset({"vault.unlock", "vault.health", "static"})


def init_app(app: Flask) -> None:
    app.before_request(_refuse_when_locked)


def _refuse_when_locked() -> Response | None:
    if current_app.extensions["vault"].unlocked:
        return None
    session.clear()  # no login holds while locked, and nothing after this looks one up
    if request.endpoint in OPEN_WHEN_LOCKED:
        return None
    retry = str(current_app.config["VAULT_RETRY_AFTER_SECONDS"])
    if request.path.startswith("/api/"):
        response = jsonify(error={"code": "locked", "message": _locked()})
    elif request.method == "GET":
        return redirect(url_for("vault.unlock"))
    else:
        response = Response(render_template("error.html", code=503, name="Locked",
                                            description=_locked()))
    response.status_code = 503
    response.headers["Retry-After"] = retry
    return response


def _locked() -> str:
    return _("The server is locked. Nothing was lost: send it again after it is unlocked.")
