"""Downloading the workbook: leads (their organisation) and admins, every download audited."""

from __future__ import annotations

import datetime
import tempfile

from flask import Blueprint, Response, abort, redirect, request, send_file, stream_with_context, url_for
from flask_babel import gettext as _

from ..accounts.auth import allow
from ..audit.log import record
from ..jobs.exports import runs_in_background
from ..results.access import READERS, requested_scope
from .responses_csv import csv_lines
from .shareable import write_shareable
from .workbook import write_workbook
from .names import filename, export_language

bp = Blueprint("export", __name__)
"""Nested in the results blueprint: its URLs are under /results, its endpoints ``results.export.*``."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/<form_id>/workbook.xlsx")
@allow(*READERS)
def workbook(form_id: str) -> Response:
    """The raw workbook, with the organisation's Responses; pooled, only the shareable one."""
    return _download(form_id, shareable=False)


@bp.get("/<form_id>/shareable.xlsx")
@allow(*READERS)
def shareable(form_id: str) -> Response:
    """The workbook to share: protected tables only."""
    return _download(form_id, shareable=True)


@bp.get("/<form_id>/responses.csv")
@allow(*READERS)
def responses_csv(form_id: str) -> Response:
    """The organisation's Responses as a UTF-8 CSV; pooled, there are none to give."""
    scope = requested_scope(form_id, request)[0]
    if scope.pooled:
        abort(404, description=_("Each person's answers are given per organisation: choose one."))
    language = export_language(scope.form, request.args.get("lang"))
    record("export", "form", scope.form.id, organisation_id=scope.organisation_id)
    name = filename(scope, language, datetime.date.today()).replace(".xlsx", ".csv")
    return Response(stream_with_context(csv_lines(scope, language)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _download(form_id: str, *, shareable: bool) -> Response:
    scope, rule = requested_scope(form_id, request)
    language = export_language(scope.form, request.args.get("lang"))
    if runs_in_background(scope):
        kind = "shareable" if shareable else "workbook"
        return redirect(url_for("jobs.prepare", form_id=form_id, kind=kind, **request.args))
    write = write_shareable if shareable or scope.pooled else write_workbook
    # Written to a temporary file (openpyxl's write-only sheets stream to disk),
    # then streamed to the browser in chunks; the file is gone once sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
    try:
        write(scope, rule, language, spool)
    except BaseException:
        spool.close()
        raise
    record("export", "form", scope.form.id, organisation_id=scope.organisation_id)
    spool.seek(0)
    name = filename(scope, language, datetime.date.today())
    if shareable or scope.pooled:
        name = name.replace(".xlsx", "-shareable.xlsx")
    return send_file(spool, mimetype=XLSX, as_attachment=True, download_name=name)
