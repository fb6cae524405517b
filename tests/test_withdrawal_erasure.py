"""A withdrawal is finished only when her words are gone from the database files,
even while another connection holds a read transaction open.

Her answer and her interviewer's note are stored over HTTP, a second
connection opens a read transaction (as a results page or an export would),
and she withdraws. The reader ends once the withdrawal is committed (never
after a fixed time), so the withdrawal's retries are what make it finish. Then
the SQLite file with its -wal and -shm, or every relation file of the
PostgreSQL database, is searched for her words. A reader that never lets go
is reported to the lead, never silently ignored.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from survey.accounts.models import Role
from survey.accounts.users import create_user
from survey.db import db
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from tests.conftest import IN_CI, PASSWORD, fresh_postgres_database, postgres_url, running_app
from tests.test_collect import FULL_INTERVIEW
from tests.test_consent import interview

ANSWER = "answer-canary-5e2d81"
NOTE = "note-canary-a09c47"
NOT_YET = "could not yet wipe them from its database files"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'erase.sqlite3'}"
        return
    server = postgres_url()
    if server is None:
        if IN_CI:
            pytest.fail("PostgreSQL is required in CI")
        pytest.skip("PostgreSQL is not reachable at TEST_DATABASE_URL or 127.0.0.1:5432")
    with fresh_postgres_database(server) as url:
        yield url


def _files(url: str) -> bytes:
    """Every byte the engine keeps for this database on disk (tables, TOAST, indexes, WAL of SQLite)."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CHECKPOINT"))  # dirty pages written to the relation files
        data = Path(connection.execute(text("SHOW data_directory")).scalar())
        oid = connection.execute(text(
            "SELECT oid FROM pg_database WHERE datname = current_database()")).scalar()
    engine.dispose()
    return b"".join(p.read_bytes() for p in (data / "base" / str(oid)).iterdir() if p.is_file())


def _started(app, url: str):
    with app.app_context():
        db.create_all()
        org = create_organisation("EMP", "Empower test")
        assign_unassigned_forms(org)
        create_user("ina", PASSWORD, Role.INTERVIEWER, organisation_id=org.id)
        create_user("lena", PASSWORD, Role.LEAD, organisation_id=org.id)
    client = app.test_client()
    client.post("/login", data={"username": "ina", "password": PASSWORD})
    pages = [dict(p) for p in FULL_INTERVIEW]
    pages[9] = {"government_change": ANSWER, "what_helps": "", "note.government_change": NOTE,
                "note.government_change.language": "en"}
    assert interview(client, pages=pages).status_code == 302
    if url.startswith("sqlite"):
        with app.app_context(), db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    canaries = _as_stored(app, url)
    stored = _files(url)
    assert all(canary in stored for canary in canaries), "her words were on disk before"
    client.post("/logout")
    client.post("/login", data={"username": "lena", "password": PASSWORD})
    return client, canaries


def _as_stored(app, url: str) -> list[bytes]:
    """Her words as the files hold them: as written in a plain SQLite file (the test opens it
    without SQLCipher, as someone holding the passphrase would), sealed on PostgreSQL, where
    a sealed copy left behind opens for whoever later gets the passphrase."""
    if url.startswith("sqlite"):
        return [ANSWER.encode(), NOTE.encode()]
    with app.app_context():
        sealed = [db.session.execute(text(
            "SELECT text FROM answers WHERE question = 'government_change'")).scalar_one(),
            db.session.execute(text("SELECT body FROM notes")).scalar_one()]
        db.session.rollback()
    assert ANSWER not in sealed and NOTE not in sealed, "sealed on PostgreSQL"
    return [value.encode() for value in sealed]


def _plain(url: str) -> dict[str, object]:
    """SQLite without SQLCipher, so the test can read the pages the engine leaves on disk."""
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"module": sqlite3}} if url.startswith("sqlite") else {}


class Reader:
    """A second connection in an open read transaction that has read her rows."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite"):
            self.sqlite = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None,
                                          check_same_thread=False)
            self.sqlite.execute("BEGIN")
            self.sqlite.execute("SELECT count(*) FROM answers").fetchall()
            self.end = self.sqlite.close
            return
        self.engine = create_engine(url, isolation_level="REPEATABLE READ")
        self.connection = self.engine.connect()
        self.connection.execute(text("SELECT count(*) FROM answers")).scalar()
        self.end = self.connection.close

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_: object) -> None:
        self.end()
        if hasattr(self, "engine"):
            self.engine.dispose()


def _end_when_withdrawn(url: str, reader: Reader) -> threading.Thread:
    """End the reader's transaction as soon as the withdrawal is committed."""
    def watch() -> None:
        engine = create_engine(url)
        with engine.connect() as connection:
            while not connection.execute(text("SELECT count(*) FROM withdrawals")).scalar():
                connection.rollback()
                time.sleep(0.05)
        engine.dispose()
        reader.end()
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_her_words_are_gone_from_the_files_after_a_reader_lets_go(database):
    with running_app(database, ERASE_WAIT_SECONDS=60, **_plain(database)) as app:
        client, canaries = _started(app, database)
        with Reader(database) as reader:
            watcher = _end_when_withdrawn(database, reader)
            response = client.post("/withdraw", data={"code": "P-KC-0001", "confirm": "yes"})
            watcher.join(timeout=60)
        assert response.status_code == 200
        assert "Everything under P-KC-0001 is deleted" in response.text
        assert NOT_YET not in response.text
        stored = _files(database)
        assert not [canary for canary in canaries if canary in stored]


def test_a_reader_that_never_lets_go_is_reported_to_the_lead(database):
    with running_app(database, ERASE_WAIT_SECONDS=0.5, **_plain(database)) as app:
        client, _ = _started(app, database)
        with Reader(database):
            response = client.post("/withdraw", data={"code": "P-KC-0001", "confirm": "yes"})
        assert response.status_code == 200
        assert NOT_YET in response.text
        assert "flask consent erase" in response.text
