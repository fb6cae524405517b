"""Uploaded forms become drafts; a draft, checked again, is published as a version."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from ..accounts.models import User
from ..audit.log import record
from ..collect.models import Submission
from ..db import db
from ..forms import stamp
from ..forms.conflicts import stored_conflict
from ..forms.definition import Form
from ..forms.errors import FormConfigError, FormFileErrors
from ..forms.loader import form_from_bytes
from ..forms.models import FormDraft, FormVersion
from ..forms.versions import record_version
from ..i18n import registry
from ..organisations.manage import first_organisation
from ..organisations.models import FormAssignment
from ..timeutil import utcnow

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def display_name(filename: str | None) -> str:
    """The name errors give the file, as `flask forms check` would: ``forms/NAME``."""
    name = SAFE_NAME.sub("_", (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]) or "upload.yaml"
    return f"forms/{name}"


def check_upload(data: bytes, filename: str | None) -> Form:
    """The uploaded form, or ``FormFileErrors`` with every problem, as `flask forms check`
    reports them, and what the database forbids (a text changed under a used version)."""
    form = form_from_bytes(data, display_name(filename), registry())
    if (conflict := stored_conflict(form)) is not None:
        raise FormFileErrors([conflict])
    return form


def save_draft(data: bytes, form: Form, user: User) -> FormDraft:
    draft = FormDraft(form_id=form.id, version=form.version,
                      source=data.decode("utf-8-sig"), uploaded_by=user.id)
    db.session.add(draft)
    record("form_uploaded", "form", f"{form.id}@{form.version}", commit=False)
    db.session.commit()
    return draft


def draft_form(draft: FormDraft) -> Form:
    """The draft's form, checked again (raises ``FormFileErrors``)."""
    return check_upload(draft.source.encode(), f"{draft.form_id}.yaml")


def publish(draft: FormDraft) -> Form:
    """Make the draft the version every worker serves from the next request on."""
    form = draft_form(draft)
    try:
        row = record_version(form)
    except FormConfigError as exc:
        db.session.rollback()
        raise FormFileErrors([exc]) from None
    row.published_at = utcnow()
    row.source = draft.source
    stamp.bump()
    record("form_published", "form", f"{form.id}@{form.version}", commit=False)
    _give_to_first_organisation(form.id)
    db.session.delete(draft)
    db.session.commit()
    return form


def _give_to_first_organisation(form_id: str) -> None:
    """A new survey no organisation runs goes to the first one, as `flask setup` does."""
    if db.session.scalar(select(FormAssignment).where(FormAssignment.form_id == form_id).limit(1)):
        return
    organisation = first_organisation()
    if organisation is not None:
        db.session.add(FormAssignment(organisation_id=organisation.id, form_id=form_id))


def versions(form_id: str) -> list[tuple[FormVersion, int]]:
    """Each stored version of the form, newest published first, with its submissions."""
    counts = {version: count for version, count in db.session.execute(
        select(Submission.form_version, func.count()).where(Submission.form_id == form_id)
        .group_by(Submission.form_version))}
    rows = db.session.scalars(select(FormVersion).where(FormVersion.form_id == form_id)).all()
    rows = sorted(rows, key=lambda r: (r.published_at or r.loaded_at), reverse=True)
    return [(row, counts.get(row.version, 0)) for row in rows]


def stored_form_ids() -> list[str]:
    return list(db.session.scalars(select(FormVersion.form_id).distinct().order_by(FormVersion.form_id)))


def drafts() -> list[FormDraft]:
    return list(db.session.scalars(select(FormDraft).order_by(FormDraft.uploaded_at.desc())))
