"""Interviewer accounts in bulk: one name a line, and a printable sheet of one-time
passwords with a QR code per person that opens this server's login page on her tablet."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import func, select
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..audit.log import record
from ..db import db
from .auth import allow
from .models import Role, User
from .passwords import generate_password
from .people import MANAGERS, organisation_choices
from .users import create_user

MAX_PEOPLE = 50

bp = Blueprint("bulk", __name__, url_prefix="/people/bulk", template_folder="templates")


class BulkForm(FlaskForm):
    usernames = TextAreaField(_l("Usernames, one a line"),
                              validators=[InputRequired(), Length(max=MAX_PEOPLE * 81)],
                              render_kw={"autocapitalize": "none", "rows": 8})
    organisation = SelectField(_l("Organisation"), coerce=int)


@dataclass(frozen=True)
class Credential:
    username: str
    password: str
    qr: Markup


def _form() -> BulkForm:
    form = BulkForm()
    form.organisation.choices = organisation_choices()
    return form


def usernames_problems(names: list[str]) -> list[str]:
    """Every reason, in her language, why these accounts cannot all be made."""
    problems = []
    if not names:
        problems.append(_("Write at least one username."))
    if len(names) > MAX_PEOPLE:
        problems.append(_("At most %(max)d people at once.", max=MAX_PEOPLE))
    for name in names:
        if len(name) > 80:
            problems.append(_("'%(name)s' is longer than 80 characters.", name=name[:80]))
    lowered = [name.lower() for name in names]
    for name in sorted({n for n in names if lowered.count(n.lower()) > 1}):
        problems.append(_("'%(name)s' is written twice.", name=name))
    taken = db.session.scalars(select(User.username).where(func.lower(User.username).in_(lowered)))
    for name in sorted(taken):
        problems.append(_("A user named '%(name)s' already exists.", name=name))
    return problems


def login_qr(username: str) -> Markup:
    """The login page of this server, her username filled in, as an inline SVG QR code."""
    target = url_for("accounts.login", username=username, _external=True)
    svg = segno.make(target, error="m").svg_inline(scale=4, title=target)
    return Markup(svg)  # noqa: S704 - segno's own SVG of a URL it escaped


@bp.get("/")
@allow(*MANAGERS)
def index() -> str:
    return render_template("accounts/bulk.html", form=_form(), problems=[])


@bp.post("/")
@allow(*MANAGERS)
def add() -> tuple[str, int] | str:
    form = _form()
    names = [line.strip() for line in (form.usernames.data or "").splitlines() if line.strip()]
    problems = usernames_problems(names) if form.validate_on_submit() else [
        _("Check the form and try again.")]
    if problems:
        return render_template("accounts/bulk.html", form=form, problems=problems), 400
    credentials = []
    for name in names:
        password = generate_password()
        user = create_user(name, password, Role.INTERVIEWER,
                           organisation_id=form.organisation.data, one_time=True)
        record("user_created", "user", user.id, organisation_id=user.organisation_id)
        credentials.append(Credential(user.username, password, login_qr(user.username)))
    return render_template("accounts/bulk_sheet.html", credentials=credentials,
                           login_url=url_for("accounts.login", _external=True),
                           by=current_user.username)
