"""The database: one declarative base, engine options (SQLite pragmas, PostgreSQL
timeouts), the write lock, and Alembic migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session

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
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """Statement parameters (answers) never appear in an error's text or a log line; on
    PostgreSQL a statement waits at most ``DATABASE_LOCK_TIMEOUT_MS`` for a lock and runs at
    most ``DATABASE_STATEMENT_TIMEOUT_MS``, so a request ends in a "busy" answer before
    gunicorn's worker timeout ends it with nothing."""
    options: dict[str, Any] = {"hide_parameters": True}
    if make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql":
        settings = (f"-c lock_timeout={int(config['DATABASE_LOCK_TIMEOUT_MS'])} "
                    f"-c statement_timeout={int(config['DATABASE_STATEMENT_TIMEOUT_MS'])}")
        options["connect_args"] = {"options": settings}
    return options | config.get("SQLALCHEMY_ENGINE_OPTIONS", {})


def take_write_lock(session: Session) -> None:
    """Make the session's transaction the database's one writer now, before it reads what it
    will change: ``BEGIN IMMEDIATE`` on SQLite (whose driver would begin only at the first
    write, after the reads). On PostgreSQL, lock the rows instead (``FOR UPDATE``)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_app(app: Flask) -> None:
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
