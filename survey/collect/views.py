from __future__ import annotations

import uuid

from markupsafe import Markup
from sqlalchemy import select
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..accounts.auth import allow
from ..accounts.models import Role
from ..organisations.access import form_for, forms_for, organisation_of
from ..forms.definition import Form
from ..forms.errors import FormConfigError
from ..forms.validation import validate
from ..i18n import registry, ui_language
from ..collect.models import Submission
from ..consent.codes import CodeError
from ..consent.records import ConsentError, GivenConsent, count_refusal
from ..db import db
from ..i18n import gettext_in
from . import handover
from .consent_step import consent_form_class, given_consent
from ..accounts.forms import PinForm
from ..accounts.passwords import verify_password
from .interview import CONSENT_PAGE, Interview, InterviewError
from .notes import WHOLE, NoteError, checked_notes, merge, posted_notes
from .pages import page_form_class, page_values, prefill
from .storage import SubmissionConflict, store_submission

bp = Blueprint("collect", __name__, template_folder="templates")

NEW_CODE = "new_participant_code"


@bp.app_template_filter("consent_paragraphs")
def consent_paragraphs(text: str) -> Markup:
    """Consent text as paragraphs: a blank line in the form file starts a new one."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(p) for p in paragraphs)

COLLECTORS = (Role.ADMIN, Role.INTERVIEWER)


@bp.get("/")
@allow(*COLLECTORS)
def index() -> str:
    return render_template("collect/index.html", forms=forms_for(current_user))


@bp.get("/collect/<form_id>")
@allow(*COLLECTORS)
def start(form_id: str) -> str:
    form = _form_or_404(form_id)
    language = request.args.get("lang")
    if language not in form.languages:
        if len(form.languages) > 1:
            return render_template("collect/language.html", form=form)
        language = form.default_language
    return _render_consent(form, Interview.begin(language))


@bp.post("/collect/<form_id>")
@allow(*COLLECTORS)
def page(form_id: str) -> str | Response | tuple[str, int]:
    form = _form_or_404(form_id)
    try:
        interview = Interview.from_json(request.form.get("interview"), form)
    except InterviewError as exc:
        abort(400, description=str(exc))
    if handover.is_closed(interview.uuid):
        return redirect(url_for(".start", form_id=form.id))
    if interview.page == CONSENT_PAGE:
        return _consent(form, interview)
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
    submission = db.session.scalar(select(Submission).where(
        Submission.form_id == form.id, Submission.uuid == submission_uuid,
        Submission.collected_by == current_user.id))
    if submission is None:
        abort(404)
    shown = session.pop(NEW_CODE, None) == str(submission.uuid)
    return render_template("collect/done.html", form=form, language=submission.language,
                           code=submission.participant.code if shown else None)


def _consent(form: Form, interview: Interview) -> str | tuple[str, int]:
    posted = consent_form_class(form, interview.language)()
    if request.form.get("action") == "refuse":
        if not posted.validate() and "csrf_token" in posted.errors:
            abort(400, description=posted.errors["csrf_token"][0])
        count_refusal(form, organisation_of(current_user))
        handover.close(interview.uuid)
        return render_template("collect/refused.html", form=form, language=interview.language)
    given = given_consent(form, interview.language, posted, organisation_of(current_user))
    if given is None:
        return _render_consent(form, interview, posted), 422
    interview.consent = given.as_data()
    interview.page = interview.next_page(form, CONSENT_PAGE) or 0
    return _render_page(form, interview)


def _render_consent(form: Form, interview: Interview, posted: FlaskForm | None = None) -> str:
    if posted is None:
        posted = consent_form_class(form, interview.language)(formdata=None)
    return render_template("collect/consent.html", form=form, interview=interview, page=posted,
                           language=interview.language,
                           options=[f"optional_{o.name}" for o in form.consent.optional])


def _note_keys(form: Form, interview: Interview) -> list[str]:
    keys = [q.name for q in form.sections[interview.page].questions if q.collects_answer]
    return keys + [WHOLE] if interview.next_page(form) is None else keys


def _form_or_404(form_id: str) -> Form:
    return form_for(current_user, form_id)


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
        consent = GivenConsent.from_data(interview.consent, form)
        _, created = store_submission(
            form, interview.uuid, interview.language, result.answers, consent,
            organisation_id=organisation_of(current_user),
            started_at=interview.started_at, collected_by=current_user, notes=notes)
    except (NoteError, ConsentError) as exc:
        abort(400, description=str(exc))
    except CodeError as exc:
        abort(409, description=gettext_in(interview.language, str(exc)))
    except SubmissionConflict as exc:
        abort(409, description=str(exc))
    except FormConfigError as exc:
        abort(409, description=exc.message)
    handover.close(interview.uuid)
    if created:  # her code is shown once, never again by back or reload
        session[NEW_CODE] = str(interview.uuid)
    return redirect(url_for(".done", form_id=form.id, submission_uuid=interview.uuid))


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


@bp.post("/collect/<form_id>/handover")
@allow(*COLLECTORS)
def hand_over(form_id: str) -> Response:
    """Give the tablet to a participant for this survey; her PIN brings the interviewer back."""
    form = _form_or_404(form_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not current_user.pin_hash:
        flash(_("Set a PIN first: you need it to get the tablet back."))
        return redirect(url_for("accounts.pin", next=url_for(".start", form_id=form.id)))
    handover.begin(form.id)
    return redirect(url_for(".start", form_id=form.id))


@bp.route("/unlock", methods=["GET", "POST"])
@allow(*COLLECTORS)
def unlock() -> str | Response:
    form = PinForm()
    if form.validate_on_submit():
        if verify_password(current_user.pin_hash, form.pin.data or ""):
            form_id = handover.active_form()
            handover.end()
            return redirect(url_for(".start", form_id=form_id) if form_id else url_for(".index"))
        form.pin.errors.append(_("That PIN is not right."))
    return render_template("collect/unlock.html", form=form)


@bp.get("/exit")
@allow(*COLLECTORS)
def quick_exit() -> str:
    """A blank, neutral page at once; the interview she was in is closed."""
    if interview_uuid := request.args.get("i"):
        handover.close(interview_uuid)
    return render_template("collect/exit.html")
