"""Which submissions a result counts: one form, one organisation or all, a date range.

Dates are each organisation's days (``survey.organisations.zones``), as in the counts.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select

from ..collect.models import Submission
from ..consent.models import Withdrawal
from ..db import db
from ..forms.definition import Form
from ..i18n import N_
from ..organisations.zones import interviewed_at, midnight, zones
from .perturbation import perturb


class ScopeError(ValueError):
    """A filter that cannot be applied; the message is untranslated, for gettext."""


@dataclass(frozen=True)
class Scope:
    """``organisation_id`` None means pooled: over ``organisations``, or every organisation.

    Pooled counts are each organisation's own published counts added up
    (``survey.results.tally``), and only organisations with at least k
    participants in the scope are pooled (``among_enough``): what a member
    organisation can subtract from the pool leaves the others' own
    publications, each safe on its own.
    """

    form: Form
    organisation_id: int | None
    since: datetime.date | None = None
    until: datetime.date | None = None
    organisations: tuple[int, ...] | None = None

    @property
    def pooled(self) -> bool:
        return self.organisation_id is None

    def conditions(self) -> list[ColumnElement[bool]]:
        """Conditions on ``Submission``. Withdrawn participants have no submissions left."""
        found: list[ColumnElement[bool]] = [Submission.form_id == self.form.id]
        if self.organisation_id is not None:
            found.append(Submission.organisation_id == self.organisation_id)
        elif self.organisations is not None:
            found.append(Submission.organisation_id.in_(self.organisations))
        return found + self._dates()

    def _dates(self) -> list[ColumnElement[bool]]:
        """Interviews on the days ``since`` to ``until`` of their own organisation's zone."""
        if not self.dated:
            return []
        ids = ([self.organisation_id] if self.organisation_id is not None
               else self.organisations)
        by_zone: dict[ZoneInfo, list[int]] = {}
        for organisation, where in zones(ids).items():
            by_zone.setdefault(where, []).append(organisation)
        at = interviewed_at()
        found = []
        for where, organisations in by_zone.items():
            within = [Submission.organisation_id.in_(sorted(organisations))]
            if self.since is not None:
                within.append(at >= midnight(self.since, where))
            if self.until is not None:
                within.append(at < midnight(self.until + datetime.timedelta(days=1), where))
            found.append(and_(*within))
        return [or_(false(), *found)]

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    def on_counts(self, query: Select[Any], counts: Any) -> Select[Any]:
        """``query`` limited to the rows of a count table (``survey.results.models``) in this scope."""
        query = query.where(counts.form_id == self.form.id)
        if self.organisation_id is not None:
            query = query.where(counts.organisation_id == self.organisation_id)
        elif self.organisations is not None:
            query = query.where(counts.organisation_id.in_(self.organisations))
        if self.since is not None:
            query = query.where(counts.day >= self.since)
        if self.until is not None:
            query = query.where(counts.day <= self.until)
        return query

    def submissions(self) -> Select[tuple[int]]:
        return select(Submission.id).where(*self.conditions())

    def headcount(self) -> tuple[int, int]:
        """How many submissions: the true number, and as published (perturbed like every count)."""
        epoch, true, published = self.epoch(), 0, 0
        for _, count, keys in self._per_organisation():
            true, published = true + count, published + perturb(count, int(keys), epoch)
        return true, published

    def _per_organisation(self) -> list[tuple[int, int, int]]:
        query = (select(Submission.organisation_id, func.count(),
                        func.coalesce(func.sum(Submission.record_key), 0))
                 .where(*self.conditions()).group_by(Submission.organisation_id))
        return [(organisation, count, int(keys)) for organisation, count, keys in
                db.session.execute(query)]

    def among_enough(self, k: int) -> Scope:
        """A pooled scope over only the organisations with at least ``k`` participants in it
        (true and published), so that none is pooled that could not be shown on its own."""
        if not self.pooled:
            return self
        epoch = self.epoch()
        enough = tuple(sorted(organisation for organisation, count, keys in self._per_organisation()
                              if min(count, perturb(count, keys, epoch)) >= k))
        return dataclasses.replace(self, organisations=enough)

    def respondents(self) -> int:
        """How many submissions, as published."""
        return self.headcount()[1]

    def epoch(self) -> int:
        """How many withdrawals there have been: each one redraws every published count's noise."""
        return db.session.scalar(select(func.count()).select_from(Withdrawal)) or 0


FIRST_YEAR, LAST_YEAR = 1900, 2999
"""Dates a filter may name: a day after the last one still exists, in Python and every database."""
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str | None) -> datetime.date | None:
    """A filter's ``YYYY-MM-DD``; ``ScopeError`` for any other text or a year out of range."""
    if not text:
        return None
    try:
        day = datetime.date.fromisoformat(text) if ISO_DATE.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise ScopeError(N_("Enter dates like 2024-03-31."))
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ScopeError(N_("Enter a date from 1900 to 2999, like 2024-03-31."))
    return day
