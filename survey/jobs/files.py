"""Where a job's sealed file is, and removing it with the reason the lead will read."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..timeutil import utcnow
from .models import Job, Status


def job_path(job_id: str) -> Path:
    return Path(current_app.config["JOBS_DIR"]) / f"{job_id}.sealed"


def discard(job: Job, reason: str) -> None:
    """Remove the job's file (if any) and say why; ``reason`` is an untranslated message."""
    job_path(job.id).unlink(missing_ok=True)
    job.status, job.error = Status.EXPIRED, reason
    job.finished_at = job.finished_at or utcnow()
