"""Handing a job to a worker. Without ``JOBS_REDIS_URL`` (the embedded default, one machine)
a thread of this process runs the jobs one after another: no other service. With it, the job
goes on an RQ queue in Redis, and ``flask jobs worker`` on any host runs it."""

from __future__ import annotations

import queue
import secrets
import threading

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from ..db import db
from ..i18n import N_
from .errors import JobError
from .models import Job, Kind, Status
from .run import perform

UNREACHABLE = N_("The job queue cannot be reached just now. Try again in a few minutes.")


def new_id() -> str:
    return secrets.token_urlsafe(32)


def submit(job: Job) -> None:
    """Store the job and give it to a worker; ``JobError`` if the queue is unreachable."""
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["JOBS_REDIS_URL"]:
        _in_process(app).put(job.id)
        return
    try:
        rq_queue(app).enqueue(perform, job.id, job_id=f"survey-{job.id}",
                              job_timeout=app.config["JOBS_TIMEOUT_SECONDS"])
    except RedisError:
        app.logger.exception("the job queue at JOBS_REDIS_URL cannot be reached")
        job.status, job.error = Status.FAILED, UNREACHABLE
        db.session.commit()
        raise JobError(UNREACHABLE) from None


def queue_recount(user_id: int | None = None, organisation_id: int | None = None) -> str:
    """Queue ``flask results recount`` as a job; its id."""
    job = Job(id=new_id(), kind=Kind.RECOUNT, user_id=user_id, organisation_id=organisation_id,
              filters={})
    submit(job)
    return job.id


def rq_queue(app: Flask) -> Queue:
    connection = Redis.from_url(app.config["JOBS_REDIS_URL"])
    return Queue(app.config["JOBS_QUEUE"], connection=connection)


class InProcess:
    """One worker thread for this process, started with the first job."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.waiting: queue.Queue[str] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.guard = threading.Lock()

    def put(self, job_id: str) -> None:
        self.waiting.put(job_id)
        with self.guard:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._work, name="survey-jobs", daemon=True)
                self.thread.start()

    def _work(self) -> None:
        while True:
            job_id = self.waiting.get()
            with self.app.app_context():
                perform(job_id)
            self.waiting.task_done()


def _in_process(app: Flask) -> InProcess:
    return app.extensions.setdefault("jobs", InProcess(app))
