"""A published form version written back out as YAML."""

from __future__ import annotations

import yaml
from sqlalchemy import select

from ..db import db
from . import catalog
from .models import FormVersion


class ExportError(ValueError):
    """No published form matches."""


def published_yaml(form_id: str, version: str | None = None) -> str:
    """The YAML of ``form_id`` at ``version`` (default: the version offered now): the file
    as it was uploaded, or its stored definition written as YAML."""
    if version is None:
        offered = catalog.get_form(form_id)
        if offered is None:
            raise ExportError(f"there is no published form '{form_id}'")
        version = offered.version
    row = db.session.scalar(select(FormVersion).where(
        FormVersion.form_id == form_id, FormVersion.version == version,
        FormVersion.published_at.is_not(None)))
    if row is None:
        raise ExportError(f"form '{form_id}' has no published version {version}")
    if row.source is not None:
        return row.source
    return yaml.safe_dump(row.definition, allow_unicode=True, sort_keys=False, width=100)
