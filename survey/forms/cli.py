from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from sqlalchemy.exc import SQLAlchemyError

from ..db import db
from ..i18n import registry
from ..review.reviews import reviewed_texts
from .coverage import coverage
from .definition import Form
from .errors import FormConfigError
from .loader import LoadResult, load_forms
from .export import ExportError, published_yaml
from .versions import record_version

forms = AppGroup("forms", help="Check and load the survey forms.")


def _load_and_report() -> LoadResult:
    result = load_forms(Path(current_app.config["FORMS_DIR"]), registry())
    for error in result.errors:
        click.echo(str(error), err=True)
    for form in result.forms.values():
        click.echo(f"ok  {form.source}: '{form.id}' version {form.version}, "
                   f"{sum(1 for _ in form.questions())} questions, languages {', '.join(form.languages)}")
        for line in coverage(form, _reviewed(form)):
            click.echo(f"      {line}")
    return result


def _reviewed(form: Form) -> set[tuple[str, str]]:
    """Reviewed texts, or none when the database is not set up yet."""
    try:
        return reviewed_texts(form)
    except SQLAlchemyError:
        db.session.rollback()
        return set()


@forms.command("check")
def check() -> None:
    """Validate every form in FORMS_DIR; exit 1 if any has an error."""
    if _load_and_report().errors:
        raise SystemExit(1)


@forms.command("load")
def load() -> None:
    """Validate the forms and record their versions in the database."""
    result = _load_and_report()
    failed = bool(result.errors)
    for form in result.forms.values():
        try:
            record_version(form)
            db.session.commit()
        except FormConfigError as exc:
            db.session.rollback()
            click.echo(str(exc), err=True)
            failed = True
    if failed:
        raise SystemExit(1)


@forms.command("export")
@click.argument("form_id")
@click.option("--version", help="The version to write (default: the one offered now).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (default: FORM_ID.yaml here).")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def export(form_id: str, version: str | None, output: Path | None, force: bool) -> None:
    """Write a published form out as a YAML file (as uploaded, when it was)."""
    try:
        text = published_yaml(form_id, version)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    output = output or Path(f"{form_id}.yaml")
    if output.exists() and not force:
        raise click.ClickException(f"{output} exists; give --force to overwrite it")
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}")


def init_app(app: Flask) -> None:
    app.cli.add_command(forms)
