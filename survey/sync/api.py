"""The sync API under /api/v1: what the tablet fetches before going offline, and the upload."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..accounts.auth import View, allow, public
from ..accounts.models import Role
from ..i18n import ui_language
from ..organisations.access import form_for, forms_for, organisation_of
from ..organisations.models import Organisation
from ..db import db
from . import describe, keys, openapi
from .errors import ApiError, busy, error_response, from_http
from ..consent.records import count_offline_refusals
from .ingest import ingest, read_body, read_envelope, read_refusals

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(ApiError, error_response)
bp.register_error_handler(HTTPException, from_http)
bp.register_error_handler(InternalServerError, from_http)
bp.register_error_handler(OperationalError, busy)

COLLECTORS = (Role.ADMIN, Role.LEAD, Role.INTERVIEWER)


def api_login(view: View) -> View:
    """401 JSON instead of the login page, so the tablet asks her to log in and goes on."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            raise ApiError(401, "Your session has ended. Log in again; nothing on this tablet is lost.")
        if current_user.must_change_password:
            raise ApiError(403, "Choose a new password before syncing.",
                           code="password_change_required")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def collectors(view: View) -> View:
    return api_login(allow(*COLLECTORS)(view))


@bp.get("/session")
@collectors
def session() -> Response:
    organisation = (db.session.get(Organisation, current_user.organisation_id)
                    if current_user.organisation_id is not None else None)
    return jsonify(
        user={"username": current_user.username, "role": current_user.role.value,
              "organisation": organisation.code if organisation else None},
        csrf_token=generate_csrf(), ui_language=ui_language(),
        limits={"max_batch": current_app.config["SYNC_MAX_BATCH"],
                "max_bytes": current_app.config["MAX_CONTENT_LENGTH"]})


@bp.get("/key")
@collectors
def key() -> Response:
    """The RSA key at the top level, for tablets that have not updated; every key in ``keys``."""
    pair = keys.current()
    return jsonify(kid=pair.kid, alg=keys.ALGORITHM, jwk=keys.public_jwk(pair.public),
                   keys=pair.published())


@bp.get("/forms")
@collectors
def forms() -> Response:
    return jsonify(forms=[describe.summary(form) for form in forms_for(current_user)])


@bp.get("/forms/<form_id>")
@collectors
def form(form_id: str) -> Response:
    return jsonify(describe.full(form_for(current_user, form_id)))


@bp.post("/submissions")
@collectors
def submissions() -> Response:
    records = read_envelope(read_body(request.get_data()), current_app.config["SYNC_MAX_BATCH"])
    results = ingest(records, current_user, organisation_of(current_user))
    return jsonify(results=[result.as_json() for result in results])


@bp.post("/refusals")
@collectors
def refusals() -> Response:
    """Refusals counted offline: ``{"refusals": [{"uuid", "form_id"}]}``; each counted once."""
    receipts = read_refusals(read_body(request.get_data()), current_user)
    count_offline_refusals(receipts, organisation_of(current_user))
    return jsonify(counted=[str(receipt) for receipt, _ in receipts])


@bp.get("/openapi.json")
@public
def openapi_document() -> Response:
    return jsonify(openapi.document())
