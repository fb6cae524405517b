"""Participant codes: coded attributes plus a sequence or random number, e.g. KC-SW-0142.

Each organisation numbers its own codes, so no organisation learns from a code
how many participants another one has; a code is unique within its organisation.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from ..db import db
from ..forms.definition import CodeFormat
from ..i18n import N_
from .models import CodeSequence, Participant, Withdrawal

CODE_PATTERN = re.compile(r"[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,10}){1,8}")
TRIES = 20


class CodeError(ValueError):
    """A code she typed that cannot be used; the message is untranslated."""


def normalise_code(text: str) -> str:
    return re.sub(r"\s+", "", text).upper().replace("_", "-")


def find_participant(code: str, organisation_id: int, *, for_withdrawal: bool = False) -> Participant:
    """The participant with this code in this organisation, for a follow-up or a withdrawal.

    The row is locked until the transaction ends: a follow-up shares the lock
    (``FOR KEY SHARE``), a withdrawal takes it alone (``FOR UPDATE``), so on
    PostgreSQL a withdrawal waits for her follow-ups being stored, and a
    follow-up arriving during her withdrawal finds no participant. (SQLite has
    one writer at a time anyway.)
    """
    code = normalise_code(code)
    if not CODE_PATTERN.fullmatch(code):
        raise CodeError(N_("This does not look like a participant code, e.g. KC-SW-0142."))
    query = select(Participant).where(
        Participant.code == code, Participant.organisation_id == organisation_id)
    query = query.with_for_update() if for_withdrawal else query.with_for_update(read=True, key_share=True)
    participant = db.session.scalar(query.execution_options(populate_existing=True))
    if participant is None:
        raise CodeError(N_("No participant has this code. Check it, or leave it empty to get a new code."))
    return participant


def code_stem(code_format: CodeFormat, answers: Mapping[str, Any]) -> str:
    """The part of her code before the number, from the coded answers, e.g. ``P-KC``."""
    return "-".join([code_format.prefix] + [
        part.codes[answers[part.question]] for part in code_format.parts
        if answers.get(part.question) in part.codes
    ])


def new_participant(code_format: CodeFormat, answers: Mapping[str, Any],
                    organisation_id: int, numbers: Iterable[int] | None = None) -> Participant:
    """A participant with a fresh code, in the current transaction.

    ``numbers`` are ones already allocated for this stem (``allocate``); without
    them a number is drawn now.
    """
    stem = code_stem(code_format, answers)
    given = iter(numbers or ())
    for _ in range(TRIES):
        number = next(given, None)
        if number is None:
            number = _number(code_format, stem, organisation_id)
        code = f"{stem}-{number:0{code_format.digits}d}"
        if _is_free(code, organisation_id):
            participant = Participant(code=code, organisation_id=organisation_id)
            db.session.add(participant)
            db.session.flush()
            return participant
    raise RuntimeError(f"no free participant code left for {stem}; use more digits")


def allocate(organisation_id: int, stems: Iterable[str]) -> dict[str, list[int]]:
    """The next sequence numbers of an organisation, one for each stem named (a stem named
    three times gets three), for a whole batch at once.

    On PostgreSQL the numbers are taken in a short transaction of their own, in
    stem order, so writers never wait on each other's sequences (and never
    deadlock); a batch that rolls back leaves a gap, never a number used twice.
    On SQLite, whose writers take turns, they are taken in the current transaction.
    """
    wanted = Counter(stems)
    if not wanted:
        return {}
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            last = _bump(connection, organisation_id, wanted)
    else:
        last = _bump(db.session.connection(), organisation_id, wanted)
    return {stem: list(range(last[stem] - count + 1, last[stem] + 1))
            for stem, count in wanted.items()}


def _bump(connection: Connection, organisation_id: int, wanted: Counter[str]) -> dict[str, int]:
    """Add to each stem's last number, in stem order; the new last numbers."""
    dialect = {"sqlite": sqlite, "postgresql": postgresql}[connection.dialect.name]
    table = CodeSequence.__table__
    statement = dialect.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.organisation_id, table.c.stem],
        set_={"last": table.c.last + statement.excluded.last},
    ).returning(table.c.stem, table.c.last, sort_by_parameter_order=True)
    rows = [{"organisation_id": organisation_id, "stem": stem, "last": wanted[stem]}
            for stem in sorted(wanted)]
    return {stem: last for stem, last in connection.execute(statement, rows)}


def _number(code_format: CodeFormat, stem: str, organisation_id: int) -> int:
    if code_format.number == "random":
        return secrets.randbelow(10 ** code_format.digits)
    return allocate(organisation_id, [stem])[stem][0]


def _is_free(code: str, organisation_id: int) -> bool:
    """Not in use in the organisation, and never used there by someone who withdrew."""
    used = db.session.scalar(select(Participant.id).where(
        Participant.code == code, Participant.organisation_id == organisation_id))
    withdrawn = db.session.scalar(select(Withdrawal.id).where(
        Withdrawal.code == code, Withdrawal.organisation_id == organisation_id).limit(1))
    return used is None and withdrawn is None
