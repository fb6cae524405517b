"""``flask jobs worker``: run the queued jobs (RQ on Redis); ``flask jobs sweep``: remove what
expired."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from rq import SimpleWorker

from .queue import rq_queue
from .sweep import sweep

jobs = AppGroup("jobs", help="Background jobs: workbooks and recounts.")


@jobs.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker(burst: bool) -> None:
    """Run the jobs that web servers on any host queued in JOBS_REDIS_URL."""
    if not current_app.config["JOBS_REDIS_URL"]:
        raise click.ClickException(
            "JOBS_REDIS_URL is not set: jobs run inside the web server, no worker is needed")
    queue = rq_queue(current_app)
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)


@jobs.command("sweep")
def sweep_command() -> None:
    """Delete the workbooks past their time and end jobs whose worker stopped."""
    click.echo(f"Removed or ended {sweep()} jobs.")


def init_app(app: Flask) -> None:
    app.cli.add_command(jobs)
