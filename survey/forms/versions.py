"""Recording each form version in the database, and refusing silent changes."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..db import db
from ..audit.log import record
from ..consent.records import record_consent_version
from ..timeutil import utcnow
from . import stamp
from .conflicts import stored_conflict
from .definition import Form
from .models import FormVersion


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
