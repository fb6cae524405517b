"""Managing accounts in the app: admins for everyone, leads for their own organisation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from ..audit.log import record
from ..db import db
from ..organisations.models import Organisation
from .auth import allow
from .models import Role, User
from .passwords import generate_password
from .roles import LEAST_POWERFUL_FIRST, role_label
from .users import AccountError, create_user, reset_password, set_active, set_role

bp = Blueprint("people", __name__, url_prefix="/people", template_folder="templates")

MANAGERS = (Role.ADMIN, Role.LEAD)
LEAD_MAY_GIVE = (Role.INTERVIEWER, Role.TRANSLATOR)


class NewUserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=80)],
                           render_kw={"autocomplete": "off", "autocapitalize": "none"})
    role = SelectField(_l("Role"))
    organisation = SelectField(_l("Organisation"), coerce=int)


def _assignable_roles() -> list[Role]:
    """Least powerful first, so that the default of every menu gives the least."""
    may_give = Role if current_user.role == Role.ADMIN else LEAD_MAY_GIVE
    return [role for role in LEAST_POWERFUL_FIRST if role in may_give]


def organisation_choices() -> list[tuple[int, str]]:
    return [(o.id, f"{o.code} · {o.label}") for o in _organisations()]


def _organisations() -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.code)
    if current_user.role != Role.ADMIN:
        query = query.where(Organisation.id == current_user.organisation_id)
    return list(db.session.scalars(query))


def _managed(public_username: str) -> User:
    """A user the current manager may change; 404 for anyone else (other organisations)."""
    user = db.session.scalar(select(User).where(User.username == public_username))
    if user is None or user.id == current_user.id:
        abort(404)
    if current_user.role != Role.ADMIN and (
            user.organisation_id != current_user.organisation_id or user.role not in LEAD_MAY_GIVE):
        abort(404)
    return user


def _new_user_form() -> NewUserForm:
    form = NewUserForm()
    form.role.choices = [(r.value, role_label(r)) for r in _assignable_roles()]
    form.organisation.choices = organisation_choices()
    return form


@bp.get("/")
@allow(*MANAGERS)
def index() -> str:
    query = select(User).order_by(User.username)
    if current_user.role != Role.ADMIN:
        query = query.where(User.organisation_id == current_user.organisation_id)
    return render_template("accounts/people.html", users=db.session.scalars(query).all(),
                           form=_new_user_form(), roles=_assignable_roles(), actions=FlaskForm(),
                           organisations={o.id: o for o in db.session.scalars(select(Organisation))})


@bp.post("/")
@allow(*MANAGERS)
def add() -> str | Response:
    form = _new_user_form()
    if not form.validate_on_submit():
        abort(400, description=_("Check the form and try again."))
    password = generate_password()
    try:
        user = create_user(form.username.data or "", password, Role(form.role.data),
                           organisation_id=form.organisation.data, one_time=True)
    except AccountError as exc:
        flash(str(exc))
        return redirect(url_for(".index"))
    record("user_created", "user", user.id, organisation_id=user.organisation_id)
    return render_template("accounts/password_given.html", user=user, password=password)


@bp.post("/<username>/<action>")
@allow(*MANAGERS)
def change(username: str, action: str) -> str | Response:
    user = _managed(username)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if action in ("disable", "enable"):
        set_active(user, action == "enable")
        record(f"user_{action}d", "user", user.id, organisation_id=user.organisation_id)
    elif action == "reset":
        password = generate_password()
        reset_password(user, password)
        record("password_reset", "user", user.id, organisation_id=user.organisation_id)
        return render_template("accounts/password_given.html", user=user, password=password)
    elif action == "role":
        role = request.form.get("role", "")
        if role not in [r.value for r in _assignable_roles()]:
            abort(400, description=_("That role cannot be given here."))
        try:
            set_role(user, Role(role))
        except AccountError as exc:
            flash(str(exc))
            return redirect(url_for(".index"))
        record("role_change", "user", user.id, organisation_id=user.organisation_id)
    else:
        abort(404)
    return redirect(url_for(".index"))
