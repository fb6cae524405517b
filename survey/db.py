"""The database: one declarative base, engine options (SQLite pragmas, PostgreSQL
timeouts), SQLite encrypted with SQLCipher under the vault's key, owner-only database files,
the write lock, and Alembic migrations."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session

from .vault.state import Vault

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        _pragmas(dbapi_connection)


def _pragmas(dbapi_connection: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL, None for PostgreSQL or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def database_key(dek: bytes) -> bytes:
    """SQLCipher's raw key: derived from the DEK, so neither can be told from the other."""
    return HKDF(hashes.SHA256(), 32, None, b"survey sqlcipher").derive(dek)


def _keyed(vault: Vault) -> Any:
    """Key each new SQLCipher connection first, before anything reads the file. Locked, there
    is no connection: a database error, as for a database not there yet."""
    def key(dbapi_connection: Any, _record: Any) -> None:
        if not vault.unlocked:
            raise sqlcipher3.dbapi2.OperationalError("the server is locked")
        dbapi_connection.execute(f"PRAGMA key = \"x'{database_key(vault.dek).hex()}'\"")
        _pragmas(dbapi_connection)
    return key


def owner_only(path: Path) -> None:
    """The database and its -wal and -shm readable by the owner only (SQLite gives its side
    files the database file's mode), in a folder only the owner may enter."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            os.chmod(each, 0o600)


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """Statement parameters (answers) never appear in an error's text or a log line; on
    PostgreSQL a statement waits at most ``DATABASE_LOCK_TIMEOUT_MS`` for a lock and runs at
    most ``DATABASE_STATEMENT_TIMEOUT_MS``, so a request ends in a "busy" answer before
    gunicorn's worker timeout ends it with nothing."""
    options: dict[str, Any] = {"hide_parameters": True}
    if sqlite_file(config["SQLALCHEMY_DATABASE_URI"]) is not None:
        options["module"] = sqlcipher3.dbapi2
    if make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql":
        settings = (f"-c lock_timeout={int(config['DATABASE_LOCK_TIMEOUT_MS'])} "
                    f"-c statement_timeout={int(config['DATABASE_STATEMENT_TIMEOUT_MS'])}")
        options["connect_args"] = {"options": settings}
    return options | config.get("SQLALCHEMY_ENGINE_OPTIONS", {})


def _close_connections(app: Flask) -> None:
    with app.app_context():
        db.engine.dispose()


def take_write_lock(session: Session) -> None:
    """Make the session's transaction the database's one writer now, before it reads what it
    will change: ``BEGIN IMMEDIATE`` on SQLite (whose driver would begin only at the first
    write, after the reads). On PostgreSQL, lock the rows instead (``FOR UPDATE``)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_app(app: Flask) -> None:
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    path = sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    if path is not None:
        owner_only(path)
    db.init_app(app)
    vault: Vault = app.extensions["vault"]
    with app.app_context():
        if path is not None:
            event.listen(db.engine, "connect", _keyed(vault))
    vault.on_lock(lambda: _close_connections(app))
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
