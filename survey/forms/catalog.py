"""The forms this server offers, loaded from ``FORMS_DIR`` when the app starts."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from .definition import Form
from .loader import LoadResult, load_forms


def init_app(app: Flask) -> None:
    result = load_forms(Path(app.config["FORMS_DIR"]), app.extensions["languages"])
    with app.app_context():
        _skip_changed_versions(result)
    for error in result.errors:
        app.logger.error("form skipped: %s", error)
    app.extensions["forms"] = result


def _skip_changed_versions(result: LoadResult) -> None:
    """A form whose consent text or definition changed under a used version is skipped."""
    from ..db import db
    from .versions import stored_conflict

    try:
        for form in list(result.forms.values()):
            if (conflict := stored_conflict(form)) is not None:
                result.errors.append(conflict)
                del result.forms[form.id]
    except SQLAlchemyError:
        pass  # the database is not migrated yet: `flask setup` and `forms load` check later
    finally:
        db.session.rollback()
        db.session.remove()


def loaded() -> LoadResult:
    return current_app.extensions["forms"]


def get_form(form_id: str) -> Form | None:
    return loaded().forms.get(form_id)


def all_forms() -> list[Form]:
    return sorted(loaded().forms.values(), key=lambda form: form.id)
