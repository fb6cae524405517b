"""The Translations page: the form's texts, which every organisation shares, beside the
marks and notes of the reader's own organisation (see ``models``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..accounts.auth import allow
from ..accounts.models import Role
from ..collect.models import Note, Submission
from ..db import db
from ..organisations.access import form_for, forms_for
from ..forms.coverage import coverage
from ..forms.definition import Form
from ..forms.types import normalise_text
from .reviews import add_note, notes_by_text, reviewed_by, set_reviewed

bp = Blueprint("review", __name__, url_prefix="/translate", template_folder="templates")

REVIEWERS = (Role.ADMIN, Role.TRANSLATOR)
MAX_NOTE = 5000


@bp.get("/")
@allow(*REVIEWERS)
def index() -> str:
    owner = current_user.organisation_id
    forms = [(form, coverage(form, reviewed_by(form, owner))) for form in forms_for(current_user)]
    return render_template("review/index.html", forms=forms)


@bp.get("/<form_id>")
@allow(*REVIEWERS)
def form_texts(form_id: str) -> str:
    form = _form_or_404(form_id)
    owner = current_user.organisation_id
    reviewed = reviewed_by(form, owner)
    return render_template(
        "review/form.html", form=form, texts=list(form.texts()),
        reviewed=reviewed, notes=notes_by_text(form, owner), coverage=coverage(form, reviewed),
        interview_notes=_interview_notes(form), csrf=FlaskForm(),
    )


@bp.post("/<form_id>/review")
@allow(*REVIEWERS)
def review(form_id: str) -> Response:
    form = _form_or_404(form_id)
    key, language = _text_target(form)
    FlaskForm().validate_on_submit() or abort(400)
    set_reviewed(form, key, language, current_user, request.form.get("reviewed") == "on")
    return redirect(url_for(".form_texts", form_id=form.id, _anchor=_anchor(key)))


@bp.post("/<form_id>/note")
@allow(*REVIEWERS)
def note(form_id: str) -> Response:
    form = _form_or_404(form_id)
    key, language = _text_target(form)
    FlaskForm().validate_on_submit() or abort(400)
    body = normalise_text(request.form.get("body", ""))
    if not body:
        flash(_("The note is empty."))
    else:
        add_note(form, key, language, body[:MAX_NOTE], current_user)
    return redirect(url_for(".form_texts", form_id=form.id, _anchor=_anchor(key)))


def _form_or_404(form_id: str) -> Form:
    return form_for(current_user, form_id)


def _text_target(form: Form) -> tuple[str, str]:
    key, language = request.form.get("key", ""), request.form.get("language", "")
    if key not in dict(form.texts()) or language not in form.languages:
        abort(400, description=_("There is no such text in this survey."))
    return key, language


def _anchor(key: str) -> str:
    return "t-" + key.replace(".", "-")


def _interview_notes(form: Form) -> dict[str, list[Note]]:
    """Notes her organisation's interviewers left on each question: never the answers."""
    notes: dict[str, list[Note]] = {}
    query = (select(Note).join(Submission).where(
        Submission.form_id == form.id, Note.question.is_not(None),
        Submission.organisation_id == current_user.organisation_id)
             .order_by(Note.created_at))
    for found in db.session.scalars(query):
        notes.setdefault(f"question.{found.question}.label", []).append(found)
    return notes
