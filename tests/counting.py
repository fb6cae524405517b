"""Checking the kept counts against a recount from the answer table."""

from __future__ import annotations

from survey.db import db
from survey.results.counts import digest, recount


def recounted_digest() -> str:
    """The digest the counts would have if rebuilt now (the rebuild is rolled back)."""
    connection = db.session.connection()
    recount(connection)
    found = digest(connection)
    db.session.rollback()
    return found
