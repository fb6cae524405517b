"""Organisations in the app (admins): create, rename, give and take back surveys, members."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from ..accounts.auth import allow
from ..accounts.models import Role, User
from ..audit.log import record
from ..db import db
from ..forms import catalog
from . import manage
from .manage import OrganisationError

bp = Blueprint("organisations", __name__, url_prefix="/organisations",
               template_folder="templates")


class NewOrganisationForm(FlaskForm):
    code = StringField(_l("Code (2 to 12 capital letters or digits)"),
                       validators=[InputRequired(), Length(max=12)])
    label = StringField(_l("Name"), validators=[InputRequired(), Length(max=manage.LABEL_LENGTH)])


def _members() -> dict[int, list[User]]:
    members: dict[int, list[User]] = {}
    for user in db.session.scalars(select(User).order_by(User.username)):
        members.setdefault(user.organisation_id or 0, []).append(user)
    return members


@bp.get("/")
@allow(Role.ADMIN)
def index() -> str:
    return render_template("organisations/index.html", organisations=manage.list_organisations(),
                           forms={f.id: f for f in catalog.all_forms()}, members=_members(),
                           form=NewOrganisationForm(), actions=FlaskForm())


@bp.post("/")
@allow(Role.ADMIN)
def create() -> Response:
    form = NewOrganisationForm()
    if not form.validate_on_submit():
        flash(_("Give the organisation a code and a name."))
        return redirect(url_for(".index"))
    try:
        organisation = manage.create_organisation(form.code.data or "", form.label.data or "")
    except OrganisationError as exc:
        flash(str(exc))
        return redirect(url_for(".index"))
    record("organisation_created", "organisation", organisation.code, organisation_id=organisation.id)
    flash(_("Organisation %(code)s is created.", code=organisation.code))
    return redirect(url_for(".index"))


@bp.post("/<code>/<action>")
@allow(Role.ADMIN)
def change(code: str, action: str) -> Response:
    if not FlaskForm().validate_on_submit():
        abort(400, description=_("Check the form and try again."))
    organisation = manage.by_code(code)
    if organisation is None:
        abort(404)
    try:
        message = _act(organisation.code, action)
    except OrganisationError as exc:
        message = str(exc)
    flash(message)
    return redirect(url_for(".index"))


def _act(code: str, action: str) -> str:
    organisation = manage.existing(code)
    if action == "rename":
        manage.rename_organisation(code, request.form.get("label", ""))
        record("organisation_renamed", "organisation", code, organisation_id=organisation.id)
        return _("Organisation %(code)s is renamed.", code=code)
    form_id = request.form.get("form_id", "")
    if action == "assign":
        manage.assign_form(code, form_id)
        record("form_assigned", "form", form_id, organisation_id=organisation.id)
        return _("%(code)s now runs '%(form)s'.", code=code, form=form_id)
    if action == "unassign":
        if not manage.unassign_form(code, form_id):
            raise OrganisationError(_("%(code)s does not run '%(form)s'.", code=code, form=form_id))
        record("form_unassigned", "form", form_id, organisation_id=organisation.id)
        return _("%(code)s no longer runs '%(form)s'. Its interviews stay.", code=code, form=form_id)
    abort(404)
