from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..accounts.auth import allow
from ..accounts.models import Role
from ..forms import catalog
from ..forms.definition import Form
from ..forms.errors import FormConfigError
from ..forms.validation import validate
from ..i18n import registry, ui_language
from .interview import Interview, InterviewError
from .notes import WHOLE, NoteError, checked_notes, merge, posted_notes
from .pages import page_form_class, page_values, prefill
from .storage import SubmissionConflict, store_submission

bp = Blueprint("collect", __name__, template_folder="templates")

COLLECTORS = (Role.ADMIN, Role.INTERVIEWER)


@bp.get("/")
@allow(*COLLECTORS)
def index() -> str:
    return render_template("collect/index.html", forms=catalog.all_forms())


@bp.get("/collect/<form_id>")
@allow(*COLLECTORS)
def start(form_id: str) -> str:
    form = _form_or_404(form_id)
    language = request.args.get("lang")
    if language not in form.languages:
        if len(form.languages) > 1:
            return render_template("collect/language.html", form=form)
        language = form.default_language
    interview = Interview.begin(form, language)
    return _render_page(form, interview)


@bp.post("/collect/<form_id>")
@allow(*COLLECTORS)
def page(form_id: str) -> str | Response | tuple[str, int]:
    form = _form_or_404(form_id)
    try:
        interview = Interview.from_json(request.form.get("interview"), form)
    except InterviewError as exc:
        abort(400, description=str(exc))
    section = form.sections[interview.page]
    posted = page_form_class(form, section, interview.language)()
    posted.validate()
    if "csrf_token" in posted.errors:
        flash(_("The page had expired. Please check the answers and go on."))
        return _render_page(form, interview, posted)
    values = page_values(posted, section)
    merge(interview.notes, posted_notes(
        request.form, _note_keys(form, interview), registry(), ui_language()))
    if request.form.get("action") == "back":
        interview.answers.update({k: v for k, v in values.items() if not posted[k].errors})
        interview.page = interview.previous_page(form)
        return _render_page(form, interview)
    interview.answers.update(values)
    errors = _page_errors(form, interview, posted)
    if errors:
        return _render_page(form, interview, posted, errors), 422
    next_page = interview.next_page(form)
    if next_page is not None:
        interview.page = next_page
        return _render_page(form, interview)
    return _finish(form, interview)


@bp.get("/collect/<form_id>/done/<uuid:submission_uuid>")
@allow(*COLLECTORS)
def done(form_id: str, submission_uuid: uuid.UUID) -> str:
    form = _form_or_404(form_id)
    language = request.args.get("lang", form.default_language)
    if language not in form.languages:
        language = form.default_language
    return render_template("collect/done.html", form=form, language=language)


def _note_keys(form: Form, interview: Interview) -> list[str]:
    keys = [q.name for q in form.sections[interview.page].questions if q.collects_answer]
    return keys + [WHOLE] if interview.next_page(form) is None else keys


def _form_or_404(form_id: str) -> Form:
    form = catalog.get_form(form_id)
    if form is None:
        abort(404, description=_("There is no survey called '%(id)s'.", id=form_id))
    return form


def _page_errors(form: Form, interview: Interview, posted: FlaskForm) -> dict[str, str]:
    section = form.sections[interview.page]
    errors = {name: field.errors[0] for name, field in posted._fields.items() if field.errors}
    result = validate(form, interview.answers, only=[q.name for q in section.questions])
    for name, error in result.errors.items():
        errors.setdefault(name, error.translated(interview.language))
    return errors


def _finish(form: Form, interview: Interview) -> str | Response | tuple[str, int]:
    result = validate(form, interview.answers)
    if result.errors:
        first = next(iter(result.errors))
        interview.page = next(i for i, s in enumerate(form.sections)
                              if any(q.name == first for q in s.questions))
        errors = {n: e.translated(interview.language) for n, e in result.errors.items()}
        return _render_page(form, interview, errors=errors), 422
    try:
        kept = {k: v for k, v in interview.notes.items() if k in result.answers or k == WHOLE}
        notes = checked_notes(kept, result.answers, registry())
        store_submission(form, interview.uuid, interview.language, result.answers,
                         started_at=interview.started_at, collected_by=current_user,
                         notes=notes)
    except NoteError as exc:
        abort(400, description=str(exc))
    except SubmissionConflict as exc:
        abort(409, description=str(exc))
    except FormConfigError as exc:
        abort(409, description=exc.message)
    return redirect(url_for(".done", form_id=form.id, submission_uuid=interview.uuid,
                            lang=interview.language))


def _render_page(
    form: Form, interview: Interview, posted: FlaskForm | None = None,
    errors: dict[str, str] | None = None,
) -> str:
    section = form.sections[interview.page]
    if posted is None:
        page_class = page_form_class(form, section, interview.language)
        posted = page_class(formdata=None, data=prefill(section, interview.answers))
    number, total = interview.progress(form)
    return render_template(
        "collect/page.html", form=form, section=section, page=posted, interview=interview,
        language=interview.language, errors=errors or {}, number=number, total=total,
        is_last=interview.next_page(form) is None, notes=interview.notes, whole=WHOLE,
    )
