"""Wiping a withdrawal's deleted rows from the database files, not only from the tables.

A deleted row stays readable on disk until the engine reuses its space: on
SQLite in the write-ahead log until a checkpoint has moved it into the main file
(where ``secure_delete`` zeroed it) and emptied the log; on PostgreSQL in the
table files until they are rewritten. A reader's open transaction holds both
back, so each is retried until ``ERASE_WAIT_SECONDS`` have passed.
"""

from __future__ import annotations

import logging
import time

from flask import current_app
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from ..collect.models import Answer, Note, Submission
from ..db import db

log = logging.getLogger(__name__)

WIPED_TABLES = (Answer.__tablename__, Submission.__tablename__, Note.__tablename__)
PAUSE_SECONDS = 0.2
VACUUM_LOCK_WAIT = "2s"


def transaction_id() -> int | None:
    """The current transaction's id on PostgreSQL (call before it commits), else None."""
    if db.engine.dialect.name != "postgresql":
        return None
    return _xid(db.session.connection())


def _xid(connection: Connection) -> int:
    xid = connection.exec_driver_sql("SELECT pg_current_xact_id()::text").scalar()
    return int(xid) % 2**32  # as the 32-bit xid that pg_stat_activity shows


def erase_deleted(deleted_by: int | None = None) -> bool:
    """Wipe what the committed transaction ``deleted_by`` (``transaction_id``; by default any
    before now) deleted from the files; False if readers kept it from finishing in time."""
    deadline = time.monotonic() + current_app.config["ERASE_WAIT_SECONDS"]
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if deleted_by is None and connection.dialect.name == "postgresql":
            deleted_by = _xid(connection)
        wipe = _checkpoint if connection.dialect.name == "sqlite" else _vacuum
        while not wipe(connection, deleted_by):
            if time.monotonic() > deadline:
                log.warning("withdrawal: deleted rows are not yet wiped from the database files; "
                            "a reader kept its transaction open")
                return False
            time.sleep(PAUSE_SECONDS)
    return True


def _checkpoint(connection: Connection, _: int | None) -> bool:
    busy, frames, _moved = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    return busy == 0 and frames in (0, -1)


def _vacuum(connection: Connection, deleted_by: int | None) -> bool:
    """Rewrite the tables once no snapshot can still see the deleted rows (a rewrite keeps
    what an older snapshot sees, and a plain VACUUM leaves the bytes in the freed space)."""
    older = connection.exec_driver_sql(
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
        "AND datname = current_database() AND backend_xmin IS NOT NULL "
        "AND age(backend_xmin) >= age(%(xid)s::xid)", {"xid": str(deleted_by)}).scalar()
    if older:
        return False
    connection.exec_driver_sql(f"SET lock_timeout = '{VACUUM_LOCK_WAIT}'")
    try:
        connection.exec_driver_sql(f"VACUUM FULL {', '.join(WIPED_TABLES)}")
    except OperationalError as error:
        log.info("withdrawal: VACUUM FULL waits for a lock (%s)", type(error.orig).__name__)
        return False
    return True
