"""Downloading the workbook: leads (their organisation) and admins, every download audited."""

from __future__ import annotations

import datetime
import tempfile

from flask import Blueprint, Response, request, send_file

from ..accounts.auth import allow
from ..audit.log import record
from ..results.access import READERS, requested_scope
from .workbook import write_workbook
from .names import filename, export_language

bp = Blueprint("export", __name__)
"""Nested in the results blueprint: its URLs are under /results, its endpoints ``results.export.*``."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/<form_id>/workbook.xlsx")
@allow(*READERS)
def workbook(form_id: str) -> Response:
    scope, rule = requested_scope(form_id, request)
    language = export_language(scope.form, request.args.get("lang"))
    # Written to a temporary file (openpyxl's write-only sheets stream to disk),
    # then streamed to the browser in chunks; the file is gone once sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
    try:
        write_workbook(scope, rule, language, spool)
    except BaseException:
        spool.close()
        raise
    record("export", "form", scope.form.id, organisation_id=scope.organisation_id)
    spool.seek(0)
    return send_file(spool, mimetype=XLSX, as_attachment=True,
                     download_name=filename(scope, language, datetime.date.today()))
