"""Participant codes: coded attributes plus a sequence or random number, e.g. KC-SW-0142."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..db import db
from ..forms.definition import CodeFormat
from ..i18n import N_
from .models import CodeSequence, Participant, Withdrawal

CODE_PATTERN = re.compile(r"[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,10}){1,8}")


class CodeError(ValueError):
    """A code she typed that cannot be used; the message is untranslated."""


def normalise_code(text: str) -> str:
    return re.sub(r"\s+", "", text).upper().replace("_", "-")


def find_participant(code: str, organisation_id: int) -> Participant:
    """The participant with this code in this organisation, for a follow-up or a withdrawal."""
    code = normalise_code(code)
    if not CODE_PATTERN.fullmatch(code):
        raise CodeError(N_("This does not look like a participant code, e.g. KC-SW-0142."))
    participant = db.session.scalar(select(Participant).where(
        Participant.code == code, Participant.organisation_id == organisation_id))
    if participant is None:
        raise CodeError(N_("No participant has this code. Check it, or leave it empty to get a new code."))
    return participant


def new_participant(code_format: CodeFormat, answers: Mapping[str, Any],
                    organisation_id: int) -> Participant:
    """A participant with a fresh code, in the current transaction."""
    stem = "-".join([code_format.prefix] + [
        part.codes[answers[part.question]] for part in code_format.parts
        if answers.get(part.question) in part.codes
    ])
    for _ in range(20):
        code = f"{stem}-{_number(code_format, stem):0{code_format.digits}d}"
        if _is_free(code):
            participant = Participant(code=code, organisation_id=organisation_id)
            db.session.add(participant)
            db.session.flush()
            return participant
    raise RuntimeError(f"no free participant code left for {stem}; use more digits")


def _number(code_format: CodeFormat, stem: str) -> int:
    if code_format.number == "random":
        return secrets.randbelow(10 ** code_format.digits)
    return _next_in_sequence(stem)


def _next_in_sequence(stem: str) -> int:
    bump = update(CodeSequence).where(CodeSequence.stem == stem).values(
        last=CodeSequence.last + 1).returning(CodeSequence.last)
    number = db.session.scalar(bump)
    if number is not None:
        return number
    try:
        with db.session.begin_nested():
            db.session.add(CodeSequence(stem=stem, last=1))
        return 1
    except IntegrityError:
        return db.session.scalar(bump)


def _is_free(code: str) -> bool:
    """Not in use, and never used by someone who withdrew."""
    used = db.session.scalar(select(Participant.id).where(Participant.code == code))
    withdrawn = db.session.scalar(select(Withdrawal.id).where(Withdrawal.code == code).limit(1))
    return used is None and withdrawn is None
