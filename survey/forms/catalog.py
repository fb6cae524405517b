"""The forms this server offers, loaded from ``FORMS_DIR`` when the app starts."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from .definition import Form
from .loader import LoadResult, load_forms


def init_app(app: Flask) -> None:
    result = load_forms(Path(app.config["FORMS_DIR"]), app.extensions["languages"])
    for error in result.errors:
        app.logger.error("form skipped: %s", error)
    app.extensions["forms"] = result


def loaded() -> LoadResult:
    return current_app.extensions["forms"]


def get_form(form_id: str) -> Form | None:
    return loaded().forms.get(form_id)


def all_forms() -> list[Form]:
    return sorted(loaded().forms.values(), key=lambda form: form.id)
