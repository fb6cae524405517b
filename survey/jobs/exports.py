"""The workbook as a job: written streamed (write-only openpyxl) to an unnamed temporary file,
then sealed chunk by chunk into ``JOBS_DIR``. Memory stays flat whatever the number of rows."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable
from typing import Any

from flask import current_app

from ..export.names import filename
from ..export.shareable import write_shareable
from ..export.workbook import write_workbook
from ..forms import catalog
from ..i18n import N_
from ..results.disclosure import Rule, rule_for
from ..results.scope import Scope
from ..vault.wiring import current_vault
from .errors import JobError
from .files import job_path
from .models import Job, Kind
from .sealed import seal_file
from .withdrawals import WITHDRAWN, withdrawn_since

WRITTEN, SEALED = 80, 99  # progress once written, and once sealed


def runs_in_background(scope: Scope) -> bool:
    """Whether the workbook of ``scope`` is too big to write inside the request."""
    return scope.headcount()[0] > current_app.config["JOBS_DIRECT_MAX_SUBMISSIONS"]


def filters_of(scope: Scope, language: str, *, shareable: bool) -> dict[str, Any]:
    """What the job needs to write the same workbook later, and the name it is downloaded as."""
    name = filename(scope, language, datetime.date.today())
    if shareable or scope.pooled:
        name = name.replace(".xlsx", "-shareable.xlsx")
    return {"since": scope.since and scope.since.isoformat(),
            "until": scope.until and scope.until.isoformat(), "lang": language, "name": name}


def run_export(job: Job, progress: Callable[[int], None]) -> None:
    scope, rule = _scope(job)
    write = write_shareable if job.kind == Kind.SHAREABLE or scope.pooled else write_workbook
    with tempfile.TemporaryFile() as spool:
        write(scope, rule, job.filters["lang"], spool)
        progress(WRITTEN)
        size = max(spool.tell(), 1)
        spool.seek(0)
        seal_file(current_vault(), spool, job_path(job.id), job.id,
                  lambda done: progress(WRITTEN + (SEALED - WRITTEN) * done // size))
    if withdrawn_since(job):
        job_path(job.id).unlink(missing_ok=True)
        raise JobError(WITHDRAWN)


def _scope(job: Job) -> tuple[Scope, Rule]:
    form = catalog.get_form(job.form_id or "")
    if form is None:
        raise JobError(N_("This survey is no longer on the server."))
    rule = rule_for(form)
    scope = Scope(form, job.organisation_id, _day(job.filters.get("since")),
                  _day(job.filters.get("until")))
    return scope.among_enough(rule.k), rule


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None
