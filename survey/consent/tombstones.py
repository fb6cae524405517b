"""What a withdrawal leaves behind so it stays done: the withdrawn submissions' UUIDs, never answers.

A tablet that still holds a withdrawn record, or a queue file saved before the
withdrawal, would otherwise store her answers again when it syncs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from .codes import normalise_code
from .models import Withdrawal


class WithdrawnSubmission(db.Model):
    """The UUID of a submission deleted by a withdrawal; nothing else about it is kept."""

    __tablename__ = "withdrawn_submissions"

    uuid: Mapped[uuid.UUID] = mapped_column(primary_key=True)


def bury(uuids: Iterable[uuid.UUID]) -> None:
    """Remember these UUIDs as withdrawn, in the withdrawal's transaction."""
    wanted = set(uuids)
    known = withdrawn_uuids(wanted)
    db.session.add_all(WithdrawnSubmission(uuid=value) for value in wanted - known)


def withdrawn_uuids(uuids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``uuids`` that belong to a withdrawn submission."""
    wanted = list(set(uuids))
    if not wanted:
        return set()
    return set(db.session.scalars(select(WithdrawnSubmission.uuid).where(
        WithdrawnSubmission.uuid.in_(wanted))))


def code_withdrawn(code: str, organisation_id: int) -> bool:
    """Whether this participant code was withdrawn in this organisation."""
    return db.session.scalar(select(Withdrawal.id).where(
        Withdrawal.code == normalise_code(code),
        Withdrawal.organisation_id == organisation_id).limit(1)) is not None
