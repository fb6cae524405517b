"""``flask results recount`` as a job: count every stored answer again."""

from __future__ import annotations

from collections.abc import Callable

from ..db import db
from ..results.counts import digest, recount
from .models import Job


def run_recount(job: Job, progress: Callable[[int], None]) -> None:
    connection = db.session.connection()
    before = digest(connection)
    counted = recount(connection)
    changed = digest(connection) != before
    job.filters = job.filters | {"counted": counted, "changed": changed}
    db.session.commit()
    progress(99)
