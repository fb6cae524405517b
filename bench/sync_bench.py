"""Sync throughput: batches of 1,000 sealed records through gunicorn (2 workers) on loopback,
beside a bare SQLAlchemy Core insert of the same rows, measured in the same run.

    .venv/bin/python -m bench.sync_bench [--batches 4] [--tablets 2] [--database postgresql://...]

``--tablets N`` sets how many tablets post at once in the second measurement (threads,
each with its own login, sharing the batches round robin; at least one batch each).

Without --database it uses a temporary SQLite file. With a PostgreSQL URL its tables
are dropped and created, so give it a scratch database (e.g. the local ``test``).
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import Engine, insert, select

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from survey import create_app  # noqa: E402
from survey.accounts.models import Role  # noqa: E402
from survey.accounts.users import create_user  # noqa: E402
from survey.collect.models import Answer, Note, Submission  # noqa: E402
from survey.consent.models import ConsentRecord, Participant  # noqa: E402
from survey.db import db  # noqa: E402
from survey.organisations.manage import assign_unassigned_forms, create_organisation  # noqa: E402
from survey.sync import keys  # noqa: E402
from tests.conftest import normalise_url  # noqa: E402
from tests.sync_support import Tablet, sealed_batch  # noqa: E402

BATCH = 1000
PASSWORD = "bench horse battery staple"
PER_RECORD = [Participant, ConsentRecord, Submission, Answer, Note]


def prepare(database_url: str, instance: Path) -> tuple[Flask, object]:
    (instance / "config.py").write_text(
        f"SECRET_KEY = 'bench'\nSQLALCHEMY_DATABASE_URI = {database_url!r}\n"
        f"MAX_CONTENT_LENGTH = 16 * 1024 * 1024\n")
    app = create_app(instance_path=str(instance))
    with app.app_context():
        db.drop_all()
        db.create_all()
        organisation = create_organisation("BEN", "Bench")
        assign_unassigned_forms(organisation)
        create_user("bench", PASSWORD, Role.INTERVIEWER, organisation_id=organisation.id)
        public_key = keys.current().public
        db.engine.dispose()
    return app, public_key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(instance: Path, port: int) -> subprocess.Popen:
    command = [str(PROJECT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--timeout", "300",
               "--bind", f"127.0.0.1:{port}", f"survey:create_app(instance_path={str(instance)!r})"]
    server = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


def tablet(url: str) -> tuple[Tablet, str]:
    client = Tablet(url)
    client.log_in("bench", PASSWORD)
    token = client.request("GET", "/api/v1/session")[1]["csrf_token"]
    return client, token


def post(client: Tablet, token: str, batch: dict) -> float:
    body = json.dumps(batch).encode()
    began = time.perf_counter()
    status, reply = client.request("POST", "/api/v1/submissions", body,
                                   {"Content-Type": "application/json", "X-CSRFToken": token})
    elapsed = time.perf_counter() - began
    assert status == 200, reply
    assert {r["status"] for r in reply["results"]} == {"stored"}, reply["results"][:2]
    return elapsed


def sequential(url: str, batches: list[dict]) -> float:
    client, token = tablet(url)
    seconds = sum(post(client, token, batch) for batch in batches)
    return len(batches) * BATCH / seconds


def many_tablets(url: str, batches: list[dict], count: int) -> float:
    shares = [batches[index::count] for index in range(count)]
    clients = [tablet(url) for _ in shares]
    threads = [threading.Thread(target=lambda c=c, h=h: [post(*c, b) for b in h])
               for c, h in zip(clients, shares)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return len(batches) * BATCH / (time.perf_counter() - began)


def bare_core_insert(app: Flask) -> float:
    """The rows of the last 1,000 records, inserted again with Core in one transaction, through
    the app's engine (keyed for SQLCipher like the server's)."""
    with app.app_context():
        return _bare_core_insert(db.engine)


def _bare_core_insert(engine: Engine) -> float:
    with engine.begin() as connection:
        last = connection.execute(select(Submission.id).order_by(Submission.id.desc())
                                  .limit(BATCH)).scalars().all()
        rows = {model: _rows(connection, model, set(last)) for model in PER_RECORD}
        for model in reversed(PER_RECORD):
            connection.execute(model.__table__.delete().where(_owned(model, rows[model])))
    began = time.perf_counter()
    with engine.begin() as connection:
        for model in PER_RECORD:
            connection.execute(insert(model), rows[model])
    seconds = time.perf_counter() - began
    engine.dispose()
    return BATCH / seconds


def _rows(connection, model, submission_ids: set[int]) -> list[dict]:
    table = model.__table__
    submissions = connection.execute(select(Submission.__table__)
                                     .where(Submission.id.in_(submission_ids))).mappings().all()
    if model is Submission:
        return [dict(row) for row in submissions]
    if model is Participant:
        ids = {row["participant_id"] for row in submissions}
    elif model is ConsentRecord:
        ids = {row["consent_id"] for row in submissions}
    else:
        return [dict(row) for row in connection.execute(
            select(table).where(table.c.submission_id.in_(submission_ids))).mappings()]
    return [dict(row) for row in connection.execute(select(table).where(table.c.id.in_(ids))).mappings()]


def _owned(model, rows: list[dict]):
    return model.__table__.c.id.in_([row["id"] for row in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=4, help="batches of 1,000 per measurement")
    parser.add_argument("--tablets", type=int, default=2, help="tablets posting at once")
    parser.add_argument("--database", help="a scratch PostgreSQL URL; default: temporary SQLite")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        instance = Path(scratch)
        database_url = (normalise_url(arguments.database) if arguments.database
                        else f"sqlite:///{instance / 'bench.sqlite3'}")
        app, public_key = prepare(database_url, instance)
        together = max(arguments.batches, arguments.tablets)
        batches = [sealed_batch(public_key, BATCH) for _ in range(arguments.batches + together)]
        port = free_port()
        server = start_gunicorn(instance, port)
        try:
            url = f"http://127.0.0.1:{port}"
            one = sequential(url, batches[:arguments.batches])
            many = many_tablets(url, batches[arguments.batches:], arguments.tablets)
        finally:
            server.terminate()
            server.wait(timeout=30)
        core = bare_core_insert(app)
    kind = "PostgreSQL" if arguments.database else "SQLite"
    print(f"{kind}, {arguments.batches} batches of {BATCH} sealed records per measurement")
    print(f"  sync API, one tablet after another : {one:8.0f} records/s")
    print(f"  sync API, {arguments.tablets:2d} tablets at once      : {many:8.0f} records/s")
    print(f"  bare Core insert of the same rows  : {core:8.0f} records/s")


if __name__ == "__main__":
    main()
