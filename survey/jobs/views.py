"""The job pages: prepare a workbook, watch it (a page that refreshes itself, and JSON), and
download it once. A job is seen only by the person who asked for it, in the same scope as the
export itself: anyone else is told it does not exist."""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.auth import allow
from ..accounts.models import Role
from ..audit.log import record
from ..db import db
from ..i18n import N_
from ..export.names import export_language
from ..results.access import READERS, requested_scope
from ..vault.wiring import current_vault
from .errors import JobError
from .exports import filters_of
from .files import discard, job_path
from .models import FINISHED, Job, Kind, Status
from .queue import new_id, submit
from .sealed import open_file
from .sweep import sweep
from .withdrawals import WITHDRAWN, withdrawn_since

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = {Kind.WORKBOOK.value: Kind.WORKBOOK, Kind.SHAREABLE.value: Kind.SHAREABLE}
DOWNLOADED = N_("This workbook was deleted once it was downloaded. Prepare it again.")
REFRESH_SECONDS = 3


@bp.get("/export/<form_id>/<kind>")
@allow(*READERS)
def prepare(form_id: str, kind: str) -> str:
    _export_kind(kind)
    requested_scope(form_id, request)  # the same 400/403/404 as the export itself
    action = url_for("jobs.queue_export", form_id=form_id, kind=kind, **request.args)
    return render_template("jobs/prepare.html", action=action)


@bp.post("/export/<form_id>/<kind>")
@allow(*READERS)
def queue_export(form_id: str, kind: str) -> Response:
    sort = _export_kind(kind)
    scope, _rule = requested_scope(form_id, request)
    language = export_language(scope.form, request.args.get("lang"))
    job = Job(id=new_id(), kind=sort, user_id=current_user.id, form_id=scope.form.id,
              organisation_id=scope.organisation_id,
              filters=filters_of(scope, language, shareable=sort == Kind.SHAREABLE))
    return _submitted(job)


@bp.post("/recount")
@allow(Role.ADMIN)
def queue_recount() -> Response:
    return _submitted(Job(id=new_id(), kind=Kind.RECOUNT, user_id=current_user.id,
                          organisation_id=current_user.organisation_id, filters={}))



@bp.get("/<job_id>")
@allow(*READERS)
def status(job_id: str) -> str:
    job = _own(job_id)
    return render_template("jobs/status.html", job=job, refresh=REFRESH_SECONDS,
                           finished=job.status in FINISHED, **_described(job))


@bp.get("/<job_id>.json")
@allow(*READERS)
def status_json(job_id: str) -> Response:
    job = _own(job_id)
    described = _described(job)
    return jsonify(id=job.id, kind=job.kind.value, status=job.status.value, progress=job.progress,
                   message=described["state"], error=described["error"],
                   created_at=job.created_at.isoformat(),
                   finished_at=job.finished_at.isoformat() if job.finished_at else None,
                   download=described["download"])


@bp.get("/<job_id>/download")
@allow(*READERS)
def download(job_id: str) -> Response:
    job = _own(job_id)
    if job.kind == Kind.RECOUNT:
        abort(404)
    if job.status != Status.DONE:
        abort(409 if job.status not in FINISHED else 410,
              description=_(job.error) if job.error else _("This workbook is not ready yet."))
    if withdrawn_since(job):
        discard(job, WITHDRAWN)
        db.session.commit()
        abort(409, description=_(WITHDRAWN))
    try:
        file = job_path(job.id).open("rb")
    except FileNotFoundError:
        abort(410, description=_(DOWNLOADED))
    os.unlink(job_path(job.id))  # gone from the disk now; the open file is read to the end
    discard(job, DOWNLOADED)
    record("export", "form", job.form_id, organisation_id=job.organisation_id, commit=False)
    db.session.commit()
    response = Response(open_file(current_vault(), file, job.id), mimetype=XLSX)
    response.headers.set("Content-Disposition", "attachment", filename=job.filters["name"])
    return response


def _export_kind(kind: str) -> Kind:
    if kind not in EXPORTS:
        abort(404)
    return EXPORTS[kind]


def _submitted(job: Job) -> Response:
    sweep()
    try:
        submit(job)
    except JobError as exc:
        abort(503, description=_(exc.message))
    return redirect(url_for("jobs.status", job_id=job.id), code=303)


def _own(job_id: str) -> Job:
    """The current user's job, in her scope now; 404 for anyone else's."""
    sweep()
    job = db.session.get(Job, job_id)
    if job is None or job.user_id != current_user.id:
        abort(404)
    if job.kind != Kind.RECOUNT and job.organisation_id != current_user.organisation_id and not (
            job.pooled and current_user.role == Role.ADMIN):
        abort(404)
    return job


def _described(job: Job) -> dict[str, Any]:
    titles = {Kind.WORKBOOK: _("The workbook"), Kind.SHAREABLE: _("The workbook to share"),
              Kind.RECOUNT: _("Counting the answers again")}
    states = {Status.QUEUED: _("Waiting for its turn."), Status.RUNNING: _("Being prepared."),
              Status.DONE: _("Ready."), Status.FAILED: _("It could not be finished."),
              Status.EXPIRED: _("Deleted.")}
    ready = job.status == Status.DONE and job.kind != Kind.RECOUNT
    return {"title": titles[job.kind], "state": states[job.status],
            "error": _(job.error) if job.error else None,
            "download": url_for("jobs.download", job_id=job.id) if ready else None,
            "outcome": _outcome(job)}


def _outcome(job: Job) -> str | None:
    if job.kind != Kind.RECOUNT or job.status != Status.DONE:
        return None
    counted = job.filters.get("counted", 0)
    if job.filters.get("changed"):
        return _("Counted the answers of %(count)d submissions: the counts were wrong and are now "
                 "right.", count=counted)
    return _("Counted the answers of %(count)d submissions: the counts were right.", count=counted)
