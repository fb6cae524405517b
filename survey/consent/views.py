from __future__ import annotations

from flask import Blueprint, flash, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length

from ..accounts.auth import allow
from ..accounts.models import Role
from ..organisations.access import form_for, organisation_of
from ..i18n import N_, gettext_in, ui_language
from .codes import CodeError
from .records import register, withdraw, withdrawal_preview

bp = Blueprint("consent", __name__, template_folder="templates")

WITHDRAWERS = (Role.ADMIN, Role.LEAD, Role.INTERVIEWER)
REGISTER_READERS = (Role.ADMIN, Role.LEAD)
REGISTER_NOTICE = N_(
    "This register lists participants' codes and exact counts: it is for your organisation only. "
    "Do not share, print or photograph it; the workbook to share has its counts protected.")


class WithdrawForm(FlaskForm):
    code = StringField(_l("Participant code"), validators=[InputRequired(), Length(max=60)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    confirm = HiddenField()


@bp.route("/withdraw", methods=["GET", "POST"])
@allow(*WITHDRAWERS)
def withdrawal() -> str:
    form = WithdrawForm()
    if not form.validate_on_submit():
        return render_template("consent/withdraw.html", form=form)
    try:
        if form.confirm.data != "yes":
            preview = withdrawal_preview(form.code.data or "", organisation_of(current_user))
            return render_template("consent/withdraw.html", form=form, preview=preview)
        done = withdraw(form.code.data or "", current_user, organisation_of(current_user))
    except CodeError as exc:
        form.code.errors = [gettext_in(ui_language(), str(exc))]
        return render_template("consent/withdraw.html", form=form)
    return render_template("consent/withdrawn.html", result=done)


@bp.get("/consent/<form_id>")
@allow(*REGISTER_READERS)
def consent_register(form_id: str) -> str:
    form = form_for(current_user, form_id)
    flash(gettext_in(ui_language(), REGISTER_NOTICE))
    return render_template("consent/register.html", form=form,
                           register=register(form, organisation_of(current_user)),
                           option_names=[o.name for o in form.consent.optional])


