"""Creating organisations and assigning surveys to them."""

from __future__ import annotations

import re

from sqlalchemy import select

from ..db import db
from ..forms import catalog
from .models import FormAssignment, Organisation

CODE = re.compile(r"[A-Z0-9]{2,12}")


class OrganisationError(ValueError):
    """A request about organisations that cannot be carried out, in plain words."""


def create_organisation(code: str, label: str) -> Organisation:
    code = code.strip().upper()
    if not CODE.fullmatch(code):
        raise OrganisationError("the code must be 2 to 12 capital letters or digits, e.g. EMP")
    if not label.strip():
        raise OrganisationError("the label is empty")
    if by_code(code) is not None:
        raise OrganisationError(f"an organisation with code {code} already exists")
    organisation = Organisation(code=code, label=label.strip())
    db.session.add(organisation)
    db.session.commit()
    return organisation


def first_organisation() -> Organisation | None:
    return db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))


def by_code(code: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.code == code.strip().upper()))


def assign_form(code: str, form_id: str) -> None:
    organisation = by_code(code)
    if organisation is None:
        raise OrganisationError(f"there is no organisation with code {code}")
    if catalog.get_form(form_id) is None:
        raise OrganisationError(f"there is no loaded survey '{form_id}'")
    if db.session.get(FormAssignment, (organisation.id, form_id)) is None:
        db.session.add(FormAssignment(organisation_id=organisation.id, form_id=form_id))
        db.session.commit()


def assign_unassigned_forms(organisation: Organisation) -> list[str]:
    """Give the surveys no organisation runs yet to ``organisation``."""
    taken = set(db.session.scalars(select(FormAssignment.form_id)))
    added = [form.id for form in catalog.all_forms() if form.id not in taken]
    for form_id in added:
        db.session.add(FormAssignment(organisation_id=organisation.id, form_id=form_id))
    db.session.commit()
    return added


def list_organisations() -> list[tuple[Organisation, list[str]]]:
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.code)).all()
    return [(o, sorted(db.session.scalars(select(FormAssignment.form_id).where(
        FormAssignment.organisation_id == o.id)))) for o in organisations]
