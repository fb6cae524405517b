"""Recording each form version in the database, and refusing silent changes."""

from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from ..collect.models import Submission
from ..db import db
from ..audit.log import record
from ..consent.models import ConsentVersion
from ..consent.records import record_consent_version
from ..i18n import registry
from . import catalog
from .definition import Form
from .loader import read_form
from .errors import FormConfigError
from .models import FormVersion


def record_version(form: Form) -> FormVersion:
    """The row for this form version, inserted or updated in the current transaction.

    A definition may change freely until answers are stored under its
    version; after that a change needs a new version.
    """
    row = db.session.get(FormVersion, (form.id, form.version))
    if row is None:
        row = FormVersion(form_id=form.id, version=form.version,
                          content_hash=form.content_hash, definition=dict(form.definition))
        try:
            with db.session.begin_nested():
                db.session.add(row)
            record("form_version_added", "form", f"{form.id}@{form.version}", commit=False)
        except IntegrityError:
            row = db.session.get(FormVersion, (form.id, form.version))
            assert row is not None
    record_consent_version(form)
    if row.content_hash != form.content_hash:
        if conflict := stored_conflict(form):
            raise conflict
        row.content_hash = form.content_hash
        row.definition = dict(form.definition)
        record("form_version_changed", "form", f"{form.id}@{form.version}", commit=False)
    return row


def stored_conflict(form: Form) -> FormConfigError | None:
    """Why ``form`` may not be used, given what the database holds: a consent text or a
    definition changed under a version that is already in use. Reads only."""
    consent = db.session.get(ConsentVersion, (form.id, form.consent.version))
    if consent is not None and consent.content_hash != form.consent.content_hash:
        return FormConfigError(form.source, form.consent.line,
                               f"the consent text of version {form.consent.version} has changed; "
                               "a changed consent text needs a new consent version")
    row = db.session.get(FormVersion, (form.id, form.version))
    if row is not None and row.content_hash != form.content_hash and _has_submissions(form):
        return FormConfigError(form.source, 1, f"form '{form.id}' version {form.version} has "
                               "changed since answers were stored under it; give the changed "
                               "form a new version")
    return None


def form_version(form_id: str, version: str) -> Form | None:
    """The form as it was at ``version``: the loaded one, or rebuilt from its stored definition."""
    current = catalog.get_form(form_id)
    if current is not None and current.version == version:
        return current
    row = db.session.get(FormVersion, (form_id, version))
    if row is None:
        return None
    return _rebuild(form_id, version, row.content_hash, json.dumps(row.definition))


@lru_cache(maxsize=64)
def _rebuild(form_id: str, version: str, digest: str, definition: str) -> Form:
    return read_form(definition, f"stored/{form_id}-{version}", registry())


def _has_submissions(form: Form) -> bool:
    query = select(exists().where(Submission.form_id == form.id,
                                  Submission.form_version == form.version))
    return bool(db.session.scalar(query))
