"""The forms this server offers.

``FORMS_DIR`` is the seed, read when the app starts; once a version is published
(through the Forms page or ``flask forms load``) the database is the source of truth.
Every request compares the catalog stamp in the database with the one this worker's
forms were built at, and rebuilds them from the published versions when it changed,
so a publish is live at once in every worker and on every host.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, has_request_context
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..db import db
from .definition import Form
from .errors import FormFileErrors
from .loader import LoadResult, load_forms
from .models import CatalogStamp, FormVersion
from .stored import rebuild
from .conflicts import stored_conflict


@dataclass
class _Catalog:
    seed: LoadResult
    current: LoadResult
    stamp: int | None = None


def init_app(app: Flask) -> None:
    seed = load_forms(Path(app.config["FORMS_DIR"]), app.extensions["languages"])
    with app.app_context():
        _skip_changed_versions(seed)
    for error in seed.errors:
        app.logger.error("form skipped: %s", error)
    app.extensions["forms_catalog"] = _Catalog(seed, seed)
    if refresh not in app.before_request_funcs.get(None, []):  # init_app again reloads the seed
        app.before_request(refresh)


def _skip_changed_versions(result: LoadResult) -> None:
    """A form whose consent text or definition changed under a used version is skipped."""
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


def refresh() -> None:
    """Rebuild this worker's forms if a version was published since they were built."""
    held: _Catalog = current_app.extensions["forms_catalog"]
    try:
        with db.engine.connect() as connection:
            stamp = connection.scalar(select(CatalogStamp.stamp).where(CatalogStamp.id == 1)) or 0
            if stamp == held.stamp:
                return
            rows = connection.execute(select(
                FormVersion.form_id, FormVersion.version, FormVersion.content_hash,
                FormVersion.definition, FormVersion.published_at,
            ).where(FormVersion.published_at.is_not(None))).all()
    except SQLAlchemyError:
        return  # not migrated yet: the seed is all there is
    current_app.extensions["forms_catalog"] = _Catalog(held.seed, _merged(held.seed, rows), stamp)


def _merged(seed: LoadResult, rows: list) -> LoadResult:
    """The seed's forms, each replaced by its latest published version unless the file
    holds a version the database has not recorded yet (loaded by the next ``forms load``)."""
    recorded = {(row.form_id, row.version) for row in rows}
    latest: dict[str, object] = {}
    for row in sorted(rows, key=lambda r: r.published_at):
        latest[row.form_id] = row
    forms = dict(seed.forms)
    errors = list(seed.errors)
    for form_id, row in latest.items():
        file_form = seed.forms.get(form_id)
        if file_form is not None and (file_form.version == row.version
                                      or (form_id, file_form.version) not in recorded):
            continue
        try:
            forms[form_id] = rebuild(form_id, row.version, row.content_hash, row.definition)
        except FormFileErrors as exc:
            errors.extend(exc.errors)
    return LoadResult(forms, errors)


def loaded() -> LoadResult:
    if not has_request_context():
        refresh()
    return current_app.extensions["forms_catalog"].current


def seed() -> LoadResult:
    """The forms read from ``FORMS_DIR`` when the app started."""
    return current_app.extensions["forms_catalog"].seed


def get_form(form_id: str) -> Form | None:
    return loaded().forms.get(form_id)


def all_forms() -> list[Form]:
    return sorted(loaded().forms.values(), key=lambda form: form.id)


def form_version(form_id: str, version: str) -> Form | None:
    """The form as it was at ``version``: the loaded one, or rebuilt from its stored definition."""
    current = get_form(form_id)
    if current is not None and current.version == version:
        return current
    row = db.session.get(FormVersion, (form_id, version))
    if row is None:
        return None
    return rebuild(form_id, version, row.content_hash, row.definition)
