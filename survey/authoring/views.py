"""The Forms page: upload a form file, see its errors, preview it, publish it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from ..accounts.auth import allow
from ..accounts.models import Role
from ..collect.pages import page_form_class, page_values, prefill
from ..db import db
from ..forms import catalog
from ..forms.definition import Form
from ..forms.errors import FormFileErrors
from ..forms.models import FormDraft, FormVersion
from ..forms.validation import validate
from . import publishing
from .diff import compare

bp = Blueprint("authoring", __name__, url_prefix="/forms", template_folder="templates")

AUTHORS = (Role.ADMIN, Role.FORM_AUTHOR)


@bp.get("/")
@allow(*AUTHORS)
def index() -> str:
    return _index()


def _index(errors: list[Any] | None = None, status: int = 200) -> Any:
    ids = sorted(set(publishing.stored_form_ids()) | {f.id for f in catalog.all_forms()})
    forms = [(form_id, catalog.get_form(form_id), publishing.versions(form_id)) for form_id in ids]
    html = render_template("authoring/index.html", forms=forms, drafts=publishing.drafts(),
                           errors=errors or [], token=FlaskForm())
    return html, status


@bp.post("/upload")
@allow(*AUTHORS)
def upload() -> Any:
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose a form file (.yaml) to upload."))
        return _index(status=400)
    data = file.read()
    try:
        form = publishing.check_upload(data, file.filename)
    except FormFileErrors as exc:
        return _index(exc.errors, 422)
    draft = publishing.save_draft(data, form, current_user)
    return redirect(url_for(".draft", upload_id=draft.id))


@bp.get("/drafts/<int:upload_id>")
@allow(*AUTHORS)
def draft(upload_id: int) -> Any:
    row = _draft_or_404(upload_id)
    try:
        form = publishing.draft_form(row)
    except FormFileErrors as exc:
        return _broken(row, exc.errors)
    current = catalog.get_form(form.id)
    changes = compare(dict(current.definition), dict(form.definition)) if current else []
    return render_template("authoring/draft.html", draft=row, form=form, errors=[],
                           changes=changes, current=current, token=FlaskForm())


def _broken(row: Any, errors: list[Any]) -> tuple[str, int]:
    """The upload's page when its form no longer passes the checks."""
    return render_template("authoring/draft.html", draft=row, form=None, errors=errors,
                           changes=[], current=None, token=FlaskForm()), 409


@bp.post("/drafts/<int:upload_id>/publish")
@allow(*AUTHORS)
def publish(upload_id: int) -> Any:
    row = _draft_or_404(upload_id)
    try:
        form = publishing.publish(row)
    except FormFileErrors as exc:
        return _broken(row, exc.errors)
    flash(_("Published '%(form)s' version %(version)s: interviewers get it now.",
            form=form.id, version=form.version))
    return redirect(url_for(".versions", form_id=form.id))


@bp.post("/drafts/<int:upload_id>/delete")
@allow(*AUTHORS)
def discard(upload_id: int) -> Response:
    db.session.delete(_draft_or_404(upload_id))
    db.session.commit()
    return redirect(url_for(".index"))


@bp.get("/<form_id>/versions")
@allow(*AUTHORS)
def versions(form_id: str) -> str:
    rows = publishing.versions(form_id)
    if not rows:
        abort(404)
    old, new = request.args.get("from"), request.args.get("to")
    changes = None
    if old and new:
        a, b = db.session.get(FormVersion, (form_id, old)), db.session.get(FormVersion, (form_id, new))
        if a is None or b is None:
            abort(404)
        changes = compare(a.definition, b.definition)
    return render_template("authoring/versions.html", form_id=form_id, rows=rows,
                           changes=changes, old=old, new=new, current=catalog.get_form(form_id))


@bp.route("/drafts/<int:upload_id>/preview/<language>", methods=["GET", "POST"])
@allow(*AUTHORS)
def preview(upload_id: int, language: str) -> Any:
    """The draft as an interview, page by page; nothing is stored: the answers so far
    travel in a signed field of the page itself."""
    try:
        form = publishing.draft_form(_draft_or_404(upload_id))
    except FormFileErrors:
        return redirect(url_for(".draft", upload_id=upload_id))
    if language not in form.languages:
        abort(404)
    state = _state(request.form.get("state")) if request.method == "POST" else {"page": 0, "answers": {}}
    page, answers = state["page"], state["answers"]
    if not 0 <= page < len(form.sections):
        abort(400, description=_("The preview was damaged; start it again."))
    errors: dict[str, str] = {}
    section = form.sections[page]
    posted = None
    if request.method == "POST":
        posted = page_form_class(form, section, language)(formdata=request.form)
        posted.validate()
        answers.update(page_values(posted, section))
        if request.form.get("action") == "back":
            page = _shown(form, answers, before=page)
        else:
            errors = {n: f.errors[0] for n, f in posted._fields.items() if f.errors}
            result = validate(form, answers, only=[q.name for q in section.questions])
            for name, error in result.errors.items():
                errors.setdefault(name, error.translated(language))
            if not errors:
                following = _shown(form, answers, after=page)
                if following is None:
                    return render_template("authoring/preview_done.html", form=form,
                                           language=language, upload_id=upload_id,
                                           answers=validate(form, answers).answers)
                page = following
            posted = posted if errors else None
    section = form.sections[page]
    page_form = posted or page_form_class(form, section, language)(
        formdata=None, data=prefill(section, answers))
    return render_template("authoring/preview.html", form=form, section=section, page=page_form,
                           language=language, upload_id=upload_id, errors=errors,
                           state=_sign({"page": page, "answers": answers}), number=page + 1)


def _shown(form: Form, answers: dict[str, Any], *, after: int | None = None,
           before: int | None = None) -> Any:
    known = validate(form, answers, only=()).answers
    shown = [i for i, s in enumerate(form.sections) if s.relevant is None or s.relevant.is_true(known)]
    if after is not None:
        return next((i for i in shown if i > after), None)
    return next((i for i in reversed(shown) if i < before), before)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="form-preview")


def _sign(state: dict[str, Any]) -> str:
    return _serializer().dumps(state)


def _state(signed: str | None) -> dict[str, Any]:
    try:
        state = _serializer().loads(signed or "")
    except BadSignature:
        abort(400, description=_("The preview was damaged; start it again."))
    if not isinstance(state, dict) or not isinstance(state.get("page"), int) \
            or not isinstance(state.get("answers"), dict):
        abort(400, description=_("The preview was damaged; start it again."))
    return state


def _draft_or_404(upload_id: int) -> FormDraft:
    row = db.session.get(FormDraft, upload_id)
    if row is None:
        abort(404)
    return row
