"""Creating organisations and assigning surveys to them."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from ..db import db
from ..forms import catalog
from .models import FormAssignment, Organisation

CODE = re.compile(r"[A-Z0-9]{2,12}")
LABEL_LENGTH = 120


class OrganisationError(ValueError):
    """A request about organisations that cannot be carried out, in plain words."""


def create_organisation(code: str, label: str) -> Organisation:
    code = code.strip().upper()
    if not CODE.fullmatch(code):
        raise OrganisationError(_("the code must be 2 to 12 capital letters or digits, e.g. EMP"))
    check_label(label)
    if by_code(code) is not None:
        raise OrganisationError(_("an organisation with code %(code)s already exists", code=code))
    organisation = Organisation(code=code, label=label.strip())
    db.session.add(organisation)
    db.session.commit()
    return organisation


def check_label(label: str) -> None:
    if not label.strip():
        raise OrganisationError(_("the label is empty"))
    if len(label.strip()) > LABEL_LENGTH:
        raise OrganisationError(_("the label is longer than %(max)d characters", max=LABEL_LENGTH))


def rename_organisation(code: str, label: str) -> Organisation:
    organisation = existing(code)
    check_label(label)
    organisation.label = label.strip()
    db.session.commit()
    return organisation


def first_organisation() -> Organisation | None:
    return db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))


def by_code(code: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.code == code.strip().upper()))


def existing(code: str) -> Organisation:
    organisation = by_code(code)
    if organisation is None:
        raise OrganisationError(_("there is no organisation with code %(code)s", code=code))
    return organisation


def assign_form(code: str, form_id: str) -> None:
    organisation = existing(code)
    if catalog.get_form(form_id) is None:
        raise OrganisationError(_("there is no loaded survey '%(form)s'", form=form_id))
    if db.session.get(FormAssignment, (organisation.id, form_id)) is None:
        db.session.add(FormAssignment(organisation_id=organisation.id, form_id=form_id))
        db.session.commit()


def unassign_form(code: str, form_id: str) -> bool:
    """Stop an organisation running a survey; False when it did not run it. Its data stays."""
    assignment = db.session.get(FormAssignment, (existing(code).id, form_id))
    if assignment is None:
        return False
    db.session.delete(assignment)
    db.session.commit()
    return True


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
