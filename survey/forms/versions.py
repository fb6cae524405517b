"""Recording each form version in the database, and refusing silent changes."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..db import db
from ..audit.log import record
from ..consent.records import record_consent_version
from ..timeutil import utcnow
from . import catalog, stamp
from .conflicts import has_submissions, stored_conflict
from .definition import Form
from .models import FormVersion
from .stored import rebuild

__all__ = ["form_version", "has_submissions", "record_version", "stored_conflict"]


def record_version(form: Form) -> FormVersion:
    """The row for this form version, inserted or updated in the current transaction.

    A definition may change freely until answers are stored under its
    version; after that a change needs a new version.
    """
    row = db.session.get(FormVersion, (form.id, form.version))
    if row is None:
        row = FormVersion(form_id=form.id, version=form.version, published_at=utcnow(),
                          content_hash=form.content_hash, definition=dict(form.definition))
        try:
            with db.session.begin_nested():
                db.session.add(row)
            record("form_version_added", "form", f"{form.id}@{form.version}", commit=False)
            stamp.bump()
        except IntegrityError:
            row = db.session.get(FormVersion, (form.id, form.version))
            assert row is not None
    record_consent_version(form)
    if row.content_hash != form.content_hash:
        if conflict := stored_conflict(form):
            raise conflict
        row.content_hash = form.content_hash
        row.definition = dict(form.definition)
        stamp.bump()
        record("form_version_changed", "form", f"{form.id}@{form.version}", commit=False)
    return row


def form_version(form_id: str, version: str) -> Form | None:
    """The form as it was at ``version``: the loaded one, or rebuilt from its stored definition."""
    current = catalog.get_form(form_id)
    if current is not None and current.version == version:
        return current
    row = db.session.get(FormVersion, (form_id, version))
    if row is None:
        return None
    return rebuild(form_id, version, row.content_hash, row.definition)
