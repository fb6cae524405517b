"""Removing what is past its time: a finished workbook after ``JOBS_KEEP_MINUTES``, and a job
that has run longer than ``JOBS_TIMEOUT_SECONDS`` (its worker stopped) is marked failed."""

from __future__ import annotations

import datetime

from flask import current_app
from sqlalchemy import select

from ..db import db
from ..i18n import N_
from ..timeutil import utcnow
from .files import discard, job_path
from .models import Job, Status

EXPIRED = N_("This workbook was deleted after its time ran out. Prepare it again.")
STOPPED = N_("The job stopped before it finished. Run it again.")


def sweep() -> int:
    """Remove expired files and end stopped jobs; how many were removed or ended."""
    now, config = utcnow(), current_app.config
    kept = now - datetime.timedelta(minutes=config["JOBS_KEEP_MINUTES"])
    started = now - datetime.timedelta(seconds=config["JOBS_TIMEOUT_SECONDS"])
    expired = list(db.session.scalars(
        select(Job).where(Job.status == Status.DONE, Job.finished_at < kept)))
    for job in expired:
        discard(job, EXPIRED)
    stopped = list(db.session.scalars(
        select(Job).where(Job.status == Status.RUNNING, Job.started_at < started)))
    for job in stopped:
        job_path(job.id).unlink(missing_ok=True)
        job.status, job.error, job.finished_at = Status.FAILED, STOPPED, now
    db.session.commit()
    return len(expired) + len(stopped)
