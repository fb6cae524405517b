from __future__ import annotations

import uuid
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
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
from . import drafts, handover, pin_lock
from .consent_step import consent_form_class, given_consent
from ..accounts.forms import PinForm
from .interview import CONSENT_PAGE, Interview, InterviewError
from .notes import WHOLE, NoteError, checked_notes, merge, posted_notes
from .pin_lock import PinResult
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
    return _render_consent(form, language)


@bp.post("/collect/<form_id>")
@allow(*COLLECTORS)
def begin(form_id: str) -> Response:
    """Her consent on a new interview: from here on the interview is a draft on the server."""
    form = _form_or_404(form_id)
    language = request.args.get("lang", form.default_language)
    if language not in form.languages:
        abort(400, description=f"lang: the form is not offered in '{language}'")
    return _consent(form, Interview.begin(language), None)


@bp.get("/collect/<form_id>/i/<draft_id>")
@allow(*COLLECTORS)
def show(form_id: str, draft_id: str) -> str | Response | tuple[str, int]:
    form = _form_or_404(form_id)
    loaded = _load(form, draft_id)
    if loaded is None:
        return redirect(url_for(".start", form_id=form.id))
    interview, pending = loaded
    errors = pending.get("errors") or {}
    posted = MultiDict(pending.get("posted") or []) if pending else None
    if interview.page == CONSENT_PAGE:
        html = _render_consent(form, interview.language, draft_id, posted, errors)
    else:
        html = _render_page(form, interview, draft_id, posted, errors)
    return (html, 422) if errors else html


@bp.post("/collect/<form_id>/i/<draft_id>")
@allow(*COLLECTORS)
def page(form_id: str, draft_id: str) -> Response:
    """One page posted: kept in the draft, then always a redirect (Post/Redirect/Get)."""
    form = _form_or_404(form_id)
    loaded = _load(form, draft_id)
    if loaded is None:  # finished, refused, left by the exit, or not this login's
        return redirect(url_for(".start", form_id=form.id))
    interview = loaded[0]
    if interview.page == CONSENT_PAGE:
        return _consent(form, interview, draft_id)
    section = form.sections[interview.page]
    formdata = _cleaned(request.form)
    posted = page_form_class(form, section, interview.language)(formdata=formdata)
    posted.validate()
    kept = _posted_pairs(formdata, [q.name for q in section.questions]
                         + [f"note.{key}" for key in _note_keys(form, interview)])
    if "csrf_token" in posted.errors:
        flash(_("The page had expired. Please check the answers and go on."))
        return _keep(form, draft_id, interview, {"posted": kept})
    values = page_values(posted, section)
    merge(interview.notes, posted_notes(
        formdata, _note_keys(form, interview), registry(), ui_language()))
    if formdata.get("action") == "back":
        interview.answers.update({k: v for k, v in values.items() if not posted[k].errors})
        interview.page = interview.previous_page(form)
        return _keep(form, draft_id, interview)
    interview.answers.update(values)
    errors = _page_errors(form, interview, posted)
    if errors:
        return _keep(form, draft_id, interview, {"posted": kept, "errors": errors})
    next_page = interview.next_page(form)
    if next_page is not None:
        interview.page = next_page
        return _keep(form, draft_id, interview)
    return _finish(form, interview, draft_id)


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


@bp.get("/collect/<form_id>/refused")
@allow(*COLLECTORS)
def refused(form_id: str) -> str:
    form = _form_or_404(form_id)
    language = request.args.get("lang")
    return render_template("collect/refused.html", form=form,
                           language=language if language in form.languages
                           else form.default_language)


def _load(form: Form, draft_id: str) -> tuple[Interview, dict[str, Any]] | None:
    data = drafts.load(form.id, draft_id)
    if data is None:
        return None
    try:
        return Interview.from_data(data.get("interview"), form), data.get("pending") or {}
    except InterviewError as exc:
        abort(400, description=str(exc))


def _keep(form: Form, draft_id: str | None, interview: Interview,
          pending: dict[str, Any] | None = None) -> Response:
    """Save the draft (with what to show again, if anything) and go to its page."""
    pending = dict(pending or {})
    if "errors" in pending:  # messages may be lazy strings
        pending["errors"] = {name: str(error) for name, error in pending["errors"].items()}
    data = {"interview": interview.to_data(), "pending": pending}
    if draft_id is None:
        draft_id = drafts.create(form.id, data)
    else:
        drafts.save(form.id, draft_id, data)
    return redirect(url_for(".show", form_id=form.id, draft_id=draft_id))


def _cleaned(form: MultiDict[str, str]) -> MultiDict[str, str]:
    """The posted fields without NUL characters, which no answer may hold."""
    return MultiDict([(k, v.replace("\0", "")) for k, v in form.items(multi=True)])


def _posted_pairs(form: MultiDict[str, str], names: list[str]) -> list[list[str]]:
    """What was typed into the page's own fields, to show it again with the errors."""
    prefixes = tuple(f"{name}." for name in names)
    return [[k, v] for k, v in form.items(multi=True) if k in names or k.startswith(prefixes)]


def _consent(form: Form, interview: Interview, draft_id: str | None) -> Response:
    formdata = _cleaned(request.form)
    posted = consent_form_class(form, interview.language, _with_staff())(formdata=formdata)
    if formdata.get("action") == "refuse":
        if not posted.validate() and "csrf_token" in posted.errors:
            abort(400, description=posted.errors["csrf_token"][0])
        count_refusal(form, organisation_of(current_user))
        if draft_id is not None:
            drafts.delete(draft_id)
        return redirect(url_for(".refused", form_id=form.id, lang=interview.language))
    given = given_consent(form, interview.language, posted, organisation_of(current_user))
    if given is None:
        errors = {name: field.errors[0] for name, field in posted._fields.items()
                  if field.errors}
        names = ["agree", "method", "code"] + [f"optional_{o.name}" for o in form.consent.optional]
        return _keep(form, draft_id, interview,
                     {"posted": _posted_pairs(formdata, names), "errors": errors})
    interview.consent = given.as_data()
    interview.page = interview.next_page(form, CONSENT_PAGE) or 0
    return _keep(form, draft_id, interview)


def _render_consent(form: Form, language: str, draft_id: str | None = None,
                    posted: MultiDict[str, str] | None = None,
                    errors: dict[str, str] | None = None) -> str:
    page = consent_form_class(form, language, _with_staff())(formdata=posted)
    action = (url_for(".page", form_id=form.id, draft_id=draft_id) if draft_id
              else url_for(".begin", form_id=form.id, lang=language))
    return render_template("collect/consent.html", form=form, page=page, action=action,
                           draft_id=draft_id, language=language, errors=errors or {},
                           staff=_with_staff(),
                           options=[f"optional_{o.name}" for o in form.consent.optional])


def _with_staff() -> bool:
    """Whether the interviewer holds the tablet: a handed-over one shows no staff controls."""
    return handover.active_form() is None


def _note_keys(form: Form, interview: Interview) -> list[str]:
    if not _with_staff():
        return []
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


def _finish(form: Form, interview: Interview, draft_id: str) -> Response:
    result = validate(form, interview.answers)
    if result.errors:
        first = next(iter(result.errors))
        interview.page = next(i for i, s in enumerate(form.sections)
                              if any(q.name == first for q in s.questions))
        errors = {n: e.translated(interview.language) for n, e in result.errors.items()}
        return _keep(form, draft_id, interview, {"errors": errors})
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
    drafts.delete(draft_id)
    if created:  # her code is shown once, never again by back or reload
        session[NEW_CODE] = str(interview.uuid)
    return redirect(url_for(".done", form_id=form.id, submission_uuid=interview.uuid))


def _render_page(
    form: Form, interview: Interview, draft_id: str,
    posted: MultiDict[str, str] | None = None, errors: dict[str, str] | None = None,
) -> str:
    section = form.sections[interview.page]
    page_class = page_form_class(form, section, interview.language)
    if posted is not None:
        page = page_class(formdata=posted)
    else:
        page = page_class(formdata=None, data=prefill(section, interview.answers))
    number, total = interview.progress(form)
    return render_template(
        "collect/page.html", form=form, section=section, page=page, draft_id=draft_id,
        language=interview.language, errors=errors or {}, number=number, total=total,
        is_last=interview.next_page(form) is None, notes=interview.notes, whole=WHOLE,
        staff=_with_staff(),
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
        result = pin_lock.check(current_user, form.pin.data or "")
        if result is PinResult.RIGHT:
            form_id = handover.active_form()
            handover.end()
            return redirect(url_for(".start", form_id=form_id) if form_id else url_for(".index"))
        if result is PinResult.LOCKED:
            flash(_("Too many wrong PINs: the tablet is locked. Log in again with your password."))
            return redirect(url_for("accounts.login"))
        form.pin.errors.append(_("That PIN is not right."))
    return render_template("collect/unlock.html", form=form)


@bp.get("/exit")
@allow(*COLLECTORS)
def quick_exit() -> str:
    """A blank, neutral page at once; the interview she was in is closed."""
    if draft_id := request.args.get("i"):
        drafts.delete(draft_id)
    return render_template("collect/exit.html")
