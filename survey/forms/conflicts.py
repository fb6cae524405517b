"""Whether the database forbids a form: a text changed under a version already in use."""

from __future__ import annotations

from sqlalchemy import exists, select

from ..collect.models import Submission
from ..consent.models import ConsentVersion
from ..db import db
from .definition import Form
from .errors import FormConfigError
from .models import FormVersion


def stored_conflict(form: Form) -> FormConfigError | None:
    """Why ``form`` may not be used, given what the database holds: a consent text or a
    definition changed under a version that is already in use. Reads only."""
    consent = db.session.get(ConsentVersion, (form.id, form.consent.version))
    if consent is not None and consent.content_hash != form.consent.content_hash:
        return FormConfigError(form.source, form.consent.line,
                               f"the consent text of version {form.consent.version} has changed; "
                               "a changed consent text needs a new consent version")
    row = db.session.get(FormVersion, (form.id, form.version))
    if row is not None and row.content_hash != form.content_hash and has_submissions(form.id, form.version):
        return FormConfigError(form.source, 1, f"form '{form.id}' version {form.version} has "
                               "changed since answers were stored under it; give the changed "
                               "form a new version")
    return None


def has_submissions(form_id: str, version: str) -> bool:
    query = select(exists().where(Submission.form_id == form_id,
                                  Submission.form_version == version))
    return bool(db.session.scalar(query))
