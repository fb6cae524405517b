"""Database triggers that make the audit table append-only, whoever connects.

Grants alone do not bind the table's owner, which is what the app usually
connects as; a trigger does. On PostgreSQL, UPDATE and DELETE are also
revoked from PUBLIC, and ``AUDIT_APP_ROLE`` (if set when migrating) is
granted only SELECT and INSERT.
"""

from __future__ import annotations

import os

from sqlalchemy.engine import Connection

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
       ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC",
]


def install(connection: Connection) -> None:
    dialect = connection.dialect.name
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(dialect, []):
        connection.exec_driver_sql(statement)
    role = os.environ.get("AUDIT_APP_ROLE")
    if dialect == "postgresql" and role:
        connection.exec_driver_sql(f'GRANT SELECT, INSERT ON audit_events TO "{role}"')
        connection.exec_driver_sql(f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM "{role}"')


def remove(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_delete")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS audit_events_append_only()")
