"""The language and file name of a workbook."""

from __future__ import annotations

import datetime

from flask import abort
from flask_babel import gettext as _

from ..db import db
from ..forms.definition import Form
from ..organisations.models import Organisation
from ..results.scope import Scope
from .columns import CODES


def export_language(form: Form, requested: str | None) -> str:
    """A language of the form, or ``codes``; the form's default when none is asked."""
    if not requested:
        return form.default_language
    if requested != CODES and requested not in form.languages:
        abort(400, description=_("This survey has no language '%(code)s'.", code=requested))
    return requested


def filename(scope: Scope, language: str, day: datetime.date) -> str:
    who = "pooled" if scope.pooled else db.session.get(Organisation, scope.organisation_id).code
    return f"{scope.form.id}-{who}-{language}-{day.isoformat()}.xlsx"
