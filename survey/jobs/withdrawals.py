"""Whether a participant of the job's scope withdrew after it was queued: then the workbook
may hold her answers, and it is never handed out (the lead runs it again)."""

from __future__ import annotations

from sqlalchemy import select

from ..consent.models import Withdrawal
from ..db import db
from ..i18n import N_
from .models import Job

WITHDRAWN = N_("A participant withdrew after this workbook was started, so it may still hold "
               "her answers. It was deleted: prepare the workbook again.")


def withdrawn_since(job: Job) -> bool:
    query = select(Withdrawal.id).where(Withdrawal.withdrawn_at >= job.created_at)
    if job.organisation_id is not None:
        query = query.where(Withdrawal.organisation_id == job.organisation_id)
    return db.session.scalar(query.limit(1)) is not None
