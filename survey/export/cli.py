"""``flask export FORM --org ORG --lang my -o file.xlsx``: the workbook from the command line."""

from __future__ import annotations

import datetime

import click
from flask import Flask
from sqlalchemy import select

from ..audit.log import record
from ..db import db
from ..forms import catalog
from ..organisations.access import assigned_form_ids
from ..organisations.models import Organisation
from ..results.disclosure import rule_for
from ..results.scope import Scope, ScopeError, parse_date
from .columns import CODES
from .workbook import write_workbook


@click.command("export")
@click.argument("form_id")
@click.option("--org", "org_code", help="The organisation's code; leave out with --pooled.")
@click.option("--pooled", is_flag=True, help="Every organisation together: tabulations only.")
@click.option("--lang", "language", help="A language of the form, or 'codes' (default: the form's default).")
@click.option("--from", "since", help="First day, YYYY-MM-DD.")
@click.option("--to", "until", help="Last day, YYYY-MM-DD.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def export(form_id: str, org_code: str | None, pooled: bool, language: str | None,
           since: str | None, until: str | None, output: str) -> None:
    """Write a form's results workbook; the export is audited."""
    form = catalog.get_form(form_id)
    if form is None:
        raise click.ClickException(f"there is no form '{form_id}'")
    if pooled == bool(org_code):
        raise click.ClickException("give either --org ORG or --pooled")
    organisation_id = None
    if org_code:
        organisation = db.session.scalar(select(Organisation).where(Organisation.code == org_code))
        if organisation is None:
            raise click.ClickException(f"there is no organisation '{org_code}'")
        if form.id not in assigned_form_ids(organisation.id):
            raise click.ClickException(f"{org_code} does not run '{form_id}'")
        organisation_id = organisation.id
    language = language or form.default_language
    if language != CODES and language not in form.languages:
        raise click.ClickException(f"'{form_id}' has no language '{language}' "
                                   f"(one of {', '.join(form.languages)}, or codes)")
    try:
        scope = Scope(form, organisation_id, parse_date(since), parse_date(until))
    except ScopeError as exc:
        raise click.ClickException(str(exc)) from None
    write_workbook(scope, rule_for(form), language, output)
    record("export", "form", form.id, organisation_id=organisation_id)
    click.echo(f"Wrote {output} ({form.id}, {org_code or 'pooled'}, {language}, "
               f"{datetime.date.today().isoformat()})")


def init_app(app: Flask) -> None:
    app.cli.add_command(export)
