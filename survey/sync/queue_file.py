"""The last resort: a queue file downloaded from a tablet, taken in by an admin.

The file is ``{"records": [...]}`` exactly like an upload; it is taken in with the
same rules, in batches of ``SYNC_MAX_BATCH``, as the interviewer whose tablet it was.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from ..accounts.models import Role, User
from ..audit.log import record
from ..db import db
from .errors import ApiError
from .ingest import Result, ingest, read_body, read_envelope

COLLECTING_ROLES = (Role.ADMIN, Role.LEAD, Role.INTERVIEWER)


class QueueFileError(ValueError):
    """A queue file or collector that cannot be taken in; the message says why."""


def collector(username: str) -> User:
    """The account whose records these are; she must collect and belong to an organisation."""
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise QueueFileError(f"there is no account called {username!r}")
    if user.role not in COLLECTING_ROLES:
        raise QueueFileError(f"{user.username} is a {user.role.value}, who does not collect")
    if user.organisation_id is None:
        raise QueueFileError(f"{user.username} belongs to no organisation")
    return user


def take_in(content: bytes, user: User) -> list[Result]:
    """Every record of the file, stored or judged, one transaction per batch."""
    try:
        records = read_envelope(read_body(content), max_batch=None)
    except ApiError as error:
        raise QueueFileError(f"{error.message}; is it the queue file the tablet saved?") from None
    assert user.organisation_id is not None
    results: list[Result] = []
    size = current_app.config["SYNC_MAX_BATCH"]
    for start in range(0, len(records), size):
        results += ingest(records[start:start + size], user, user.organisation_id)
    record("queue_file_import", "user", user.id, organisation_id=user.organisation_id)
    return results


def line(result: Result) -> str:
    """One result as a line for the terminal or the page."""
    detail = result.participant_code or ": ".join(p for p in (result.field, result.message) if p)
    return f"{result.uuid}\t{result.status}\t{detail}"
