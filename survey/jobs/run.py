"""Running one job, in whichever worker picked it up: its state says how far it is and how it
ended, with a message the lead can read, never a trace."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from ..db import db
from ..i18n import N_
from ..timeutil import utcnow
from ..vault.errors import Locked
from .errors import JobError
from .exports import run_export
from .files import job_path
from .models import Job, Kind, Status
from .recounts import run_recount

WORK: dict[Kind, Callable[[Job, Callable[[int], None]], None]] = {
    Kind.WORKBOOK: run_export, Kind.SHAREABLE: run_export, Kind.RECOUNT: run_recount}
FAILED = N_("The job failed. Nothing was sent anywhere; try again, and tell your admin if it "
            "fails again.")
LOCKED = N_("The server was locked while this job ran. Run it again after it is unlocked.")


def perform(job_id: str) -> None:
    """The queue's entry point (RQ imports it by name): run the job in a fresh app context."""
    with current_app.app_context():
        run(job_id)
        db.session.remove()


def run(job_id: str) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.status != Status.QUEUED:
        return
    job.status, job.started_at = Status.RUNNING, utcnow()
    db.session.commit()
    try:
        WORK[job.kind](job, _progress(job))
    except JobError as exc:
        _end(job, Status.FAILED, exc.message)
    except Locked:
        _end(job, Status.FAILED, LOCKED)
    except Exception:  # noqa: BLE001 - any fault ends the job with a message, logged without answers
        current_app.logger.exception("job %s (%s) failed", job_id, job_id and job.kind)
        _end(job, Status.FAILED, FAILED)
    else:
        job.progress = 100
        _end(job, Status.DONE, None)


def _progress(job: Job) -> Callable[[int], None]:
    def update(percent: int) -> None:
        if percent > job.progress:
            job.progress = percent
            db.session.commit()
    return update


def _end(job: Job, status: Status, error: str | None) -> None:
    db.session.rollback()
    job = db.session.get(Job, job.id) or job
    if status == Status.FAILED:
        job_path(job.id).unlink(missing_ok=True)
    job.status, job.error, job.finished_at = status, error, utcnow()
    if status == Status.DONE:
        job.progress = 100
    db.session.commit()
