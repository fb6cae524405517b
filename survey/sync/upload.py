"""The admin's page for a queue file that a tablet could not send."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from ..accounts.auth import allow
from ..accounts.models import Role
from .queue_file import QueueFileError, collector, take_in

bp = Blueprint("upload", __name__, template_folder="templates")


class QueueFileForm(FlaskForm):
    file = FileField(_l("Queue file saved on the tablet"), validators=[FileRequired()])
    username = StringField(_l("Username of the interviewer whose tablet it was"),
                           validators=[InputRequired(), Length(max=80)],
                           render_kw={"autocomplete": "off"})


@bp.route("/sync/import", methods=["GET", "POST"])
@allow(Role.ADMIN)
def import_queue_file() -> str | tuple[str, int]:
    form = QueueFileForm()
    if not form.validate_on_submit():
        return render_template("sync/import.html", form=form)
    try:
        results = take_in(form.file.data.read(), collector(form.username.data or ""))
    except QueueFileError as error:
        form.file.errors = [str(error)]
        return render_template("sync/import.html", form=form), 422
    return render_template("sync/import.html", form=form, results=results)
