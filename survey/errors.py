"""Error pages: every HTTP error, 500 included, becomes a plain page, never a traceback.

A fault of the database (a lock timeout, a deadlock, a full disk) is logged with its
cause and answered 503 with ``Retry-After``: nothing of the request was stored.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

log = logging.getLogger("survey.faults")

RETRY_AFTER_S = 30


def _render(error: HTTPException) -> tuple[Any, int]:
    descriptions = {
        403: _("You do not have access to this page."),
        404: _("This page does not exist."),
        429: _("Too many attempts. Wait a minute, then try again."),
        500: _("Something went wrong on the server. The answers already sent are safe."),
    }
    description = error.description
    if error.code in descriptions and (description == type(error).description or error.code == 429):
        description = descriptions[error.code]
    if request.path.startswith("/api/"):
        return _json(error, description)
    return render_template("error.html", code=error.code, name=error.name,
                           description=description), error.code or 500


def _json(error: HTTPException, description: str | None) -> tuple[Any, int]:
    """The API's error shape, with the error's own headers (``Allow`` on a 405)."""
    body = {"code": error.name.lower().replace(" ", "_"), "message": description}
    if error.code == 413:
        body["field"] = "records"
    response = jsonify(error=body)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, error.code or 500


def fault_cause(error: Exception) -> str:
    """What the database said went wrong, first line only: never the statement or its values."""
    orig = error.orig if isinstance(error, DBAPIError) else error
    lines = str(orig).strip().splitlines()
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return " ".join(part for part in (type(orig).__name__, f"[{state}]" if state else "",
                                      lines[0] if lines else "") if part)


def log_fault(error: Exception) -> None:
    """One log line naming the fault, for the operator; answers never reach the log."""
    log.error("database fault on %s %s: %s", request.method, request.path, fault_cause(error))


def _fault(error: OperationalError) -> tuple[Any, int]:
    log_fault(error)
    body, status = _render(ServiceUnavailable(
        _("The server is busy; nothing of this was stored. Try again in a minute.")))
    response = make_response(body, status)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response, status


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _render)
    app.register_error_handler(OperationalError, _fault)
