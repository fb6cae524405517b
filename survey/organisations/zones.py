"""Each organisation's time zone, and the days it reads: an interview is dated by her day.

Times are stored as naive UTC. An interview's moment is when it started (on the
tablet or in the server's flow), else when it was received; a start after the
receipt (a tablet clock set ahead) is not believed. Its day is that moment's
date in the organisation's time zone, ``DEFAULT_TIME_ZONE`` for an
organisation that has none of its own.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from sqlalchemy import ColumnElement, case, select

from ..collect.models import Submission
from ..db import db
from .models import Organisation


class TimeZoneError(ValueError):
    """A time zone name the zone database does not know."""


def zone(name: str | None) -> ZoneInfo:
    """The zone called ``name``, or the configured default for None."""
    return _zone(name or current_app.config["DEFAULT_TIME_ZONE"])


@functools.cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeZoneError(f"unknown time zone {name!r}: give one like Asia/Bangkok") from None


def moment(started_at: datetime.datetime | None,
           received_at: datetime.datetime) -> datetime.datetime:
    """When the interview took place (naive UTC)."""
    return started_at if started_at is not None and started_at <= received_at else received_at


def interviewed_at() -> ColumnElement[datetime.datetime]:
    """``moment`` in SQL, on ``Submission``."""
    return case((Submission.started_at <= Submission.received_at, Submission.started_at),
                else_=Submission.received_at)


def local(at: datetime.datetime, where: ZoneInfo) -> datetime.datetime:
    """A naive UTC time as the wall clock in ``where`` shows it (naive)."""
    return at.replace(tzinfo=datetime.UTC).astimezone(where).replace(tzinfo=None)


def midnight(day: datetime.date, where: ZoneInfo) -> datetime.datetime:
    """The naive UTC time at which ``day`` begins in ``where``."""
    begins = datetime.datetime.combine(day, datetime.time(), tzinfo=where)
    return begins.astimezone(datetime.UTC).replace(tzinfo=None)


def zones(organisation_ids: Iterable[int] | None = None) -> dict[int, ZoneInfo]:
    """Each organisation's zone (every organisation's for None)."""
    query = select(Organisation.id, Organisation.time_zone)
    if organisation_ids is not None:
        query = query.where(Organisation.id.in_(list(organisation_ids)))
    return {id_: zone(name) for id_, name in db.session.execute(query)}


def today(organisation_id: int | None) -> datetime.date:
    """Today in the organisation's zone (the default zone for None)."""
    where = zones([organisation_id]).get(organisation_id) if organisation_id else None
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    return local(now, where or zone(None)).date()
