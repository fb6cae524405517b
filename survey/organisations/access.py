"""Which organisation's data and which surveys the current user may touch."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import Role, User
from ..db import db
from ..forms import catalog
from ..forms.definition import Form
from .models import FormAssignment


def organisation_of(user: User) -> int:
    """The user's organisation; 403 with a clear message when she has none."""
    if user.organisation_id is None:
        abort(403, description=_("Your account belongs to no organisation. Ask an admin to add you to one."))
    return user.organisation_id


def assigned_form_ids(organisation_id: int) -> set[str]:
    return set(db.session.scalars(
        select(FormAssignment.form_id).where(FormAssignment.organisation_id == organisation_id)))


def forms_for(user: User) -> list[Form]:
    """The loaded surveys the user's organisation runs (every survey for an admin)."""
    if user.role == Role.ADMIN:
        return catalog.all_forms()
    if user.organisation_id is None:
        return []
    ids = assigned_form_ids(user.organisation_id)
    return [form for form in catalog.all_forms() if form.id in ids]


def form_for(user: User, form_id: str) -> Form:
    """A survey the user may use, or 404 (never revealing other organisations' surveys)."""
    form = next((f for f in forms_for(user) if f.id == form_id), None)
    if form is None:
        abort(404, description=_("There is no survey called '%(id)s'.", id=form_id))
    return form
