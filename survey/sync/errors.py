"""Errors of the sync API, always as JSON: ``{"error": {"code", "message", "field"}}``."""

from __future__ import annotations

from flask import Response, jsonify
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from ..errors import RETRY_AFTER_S, log_fault

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
    """Werkzeug's errors as JSON, with their headers (``Allow`` on a 405)."""
    response, status = error_response(_api_error(error))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def _api_error(error: HTTPException) -> ApiError:
    if isinstance(error, CSRFError):
        if not current_user.is_authenticated:
            return ApiError(401, "Your session has ended. Log in again; nothing on this tablet is lost.")
        return ApiError(400, error.description, "X-CSRFToken", "csrf_failed")
    if isinstance(error, InternalServerError):
        return ApiError(500, "Something went wrong on the server. "
                             "The records already acknowledged are safe.")
    if isinstance(error, RequestEntityTooLarge):
        return ApiError(413, "The upload is larger than the server takes; send fewer records "
                             "at a time.", "records")
    return ApiError(error.code or 500, error.description or error.name)


def busy(error: Exception) -> tuple[Response, int]:
    """The database could not take the batch just now (a lock timed out, a deadlock, a full
    disk): the cause is logged, nothing was stored, and the tablet sends it again later."""
    log_fault(error)
    response, status = error_response(ApiError(
        503, "The server is busy; nothing of this upload was stored. Send it again in a minute."))
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response, status
