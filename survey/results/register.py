"""The consent register and the withdrawals, as published: perturbed counts, small ones hidden.

Inside her organisation a lead sees the register itself (codes and
consents, ``survey.consent.records.register``). Once its counts leave that
view (the workbook to share, the pooled workbook) they are a publication
and protected like every result: each consent record and each withdrawal
has a secret, stable key (``derived_record_key``), a cell's key is the sum
of its people's keys, so the same people always give the same number and
one more or fewer gives fresh noise.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ..consent.models import ConsentRecord, Participant, RefusalCount, Withdrawal
from ..db import db
from .disclosure import Cell, Rule, cells
from .perturbation import derived_record_key, perturb
from .scope import Scope


@dataclass(frozen=True)
class ConsentLine:
    version: str
    method: str
    language: str
    cell: Cell


def _key(kind: str, ident: object) -> int:
    return derived_record_key(current_app.config["SECRET_KEY"], f"{kind}:{ident}")


def consent_lines(scope: Scope, rule: Rule) -> list[ConsentLine]:
    """Consents by version, method and language, protected."""
    query = (select(ConsentRecord.consent_version, ConsentRecord.method, ConsentRecord.language,
                    ConsentRecord.id)
             .join(Participant, Participant.id == ConsentRecord.participant_id)
             .where(ConsentRecord.form_id == scope.form.id))
    if not scope.pooled:
        query = query.where(Participant.organisation_id == scope.organisation_id)
    people: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for version, method, language, ident in db.session.execute(query):
        people[version, method.value, language].append(ident)
    epoch = scope.epoch()
    keys = sorted(people)
    counts = [perturb(len(people[k]), sum(_key("consent", i) for i in people[k]), epoch)
              for k in keys]
    line = cells(counts, None, rule, additive=True)
    return [ConsentLine(*k, cell) for k, cell in zip(keys, line, strict=True) if cell.count or cell.hidden]


def refusals(scope: Scope, rule: Rule) -> Cell:
    """Refusals, protected: they have no people's keys, so the key comes from the count itself."""
    query = select(func.coalesce(func.sum(RefusalCount.count), 0)).where(
        RefusalCount.form_id == scope.form.id)
    if not scope.pooled:
        query = query.where(RefusalCount.organisation_id == scope.organisation_id)
    count = int(db.session.scalar(query) or 0)
    where = "all" if scope.pooled else scope.organisation_id
    published = perturb(count, _key("refusals", f"{scope.form.id}:{where}:{count}"), scope.epoch())
    return cells([published], None, rule, additive=False)[0]


def withdrawals(scope: Scope, rule: Rule) -> Cell:
    """Participants who withdrew (every survey of the organisation, or of all), protected."""
    query = select(Withdrawal.id)
    if not scope.pooled:
        query = query.where(Withdrawal.organisation_id == scope.organisation_id)
    ids = list(db.session.scalars(query))
    published = perturb(len(ids), sum(_key("withdrawal", i) for i in ids))
    return cells([published], None, rule, additive=False)[0]
