"""Error pages: every HTTP error, 500 included, becomes a plain page, never a traceback."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


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
        return jsonify(error={"code": error.name.lower().replace(" ", "_"),
                              "message": description}), error.code or 500
    return render_template("error.html", code=error.code, name=error.name,
                           description=description), error.code or 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _render)
