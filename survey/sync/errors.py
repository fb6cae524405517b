"""Errors of the sync API, always as JSON: ``{"error": {"code", "message", "field"}}``."""

from __future__ import annotations

from flask import Response, jsonify
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

CODES = {
    400: "bad_request",
    401: "login_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    500: "server_error",
    503: "busy",
}


class ApiError(Exception):
    """A request the API refuses as a whole, e.g. a body that is not ``{"records": [...]}``."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.code = code or CODES.get(status, "error")


def error_response(error: ApiError) -> tuple[Response, int]:
    body = {"code": error.code, "message": error.message}
    if error.field:
        body["field"] = error.field
    return jsonify(error=body), error.status


def from_http(error: HTTPException) -> tuple[Response, int]:
    status = error.code or 500
    if isinstance(error, CSRFError):
        return error_response(ApiError(400, error.description, "X-CSRFToken", "csrf_failed"))
    if isinstance(error, InternalServerError):
        return error_response(ApiError(500, "Something went wrong on the server. "
                                            "The records already acknowledged are safe."))
    return error_response(ApiError(status, error.description or error.name))


def busy(_: Exception) -> tuple[Response, int]:
    """The database could not take the batch just now (a lock timed out): nothing was stored."""
    response, status = error_response(ApiError(
        503, "The server is busy; nothing of this upload was stored. Send it again in a minute."))
    response.headers["Retry-After"] = "30"
    return response, status
