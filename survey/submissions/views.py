from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import Select, select

from ..accounts.auth import allow
from ..audit.log import record
from ..accounts.models import Role
from ..collect.models import Note, Submission
from ..collect.storage import read_answers
from ..db import db
from ..forms.definition import Form, Question
from ..forms.catalog import form_version
from ..i18n import ui_language
from ..organisations.access import organisation_of
from ..timeutil import utcnow

bp = Blueprint("submissions", __name__, url_prefix="/submissions", template_folder="templates")

READERS = (Role.ADMIN, Role.LEAD, Role.INTERVIEWER)
PAGE_SIZE = 100
INTERVIEWER_WINDOW = datetime.timedelta(days=1)


@dataclass(frozen=True)
class AnswerView:
    question: Question
    label: str
    answer: str
    notes: list[Note]


@bp.get("/")
@allow(*READERS)
def index() -> str:
    submissions = db.session.scalars(
        visible_submissions().order_by(Submission.received_at.desc()).limit(PAGE_SIZE)
    ).all()
    record("view_submission_list", "organisation", organisation_of(current_user))
    return render_template("submissions/index.html", submissions=submissions)


@bp.get("/<public_id>")
@allow(*READERS)
def show(public_id: str) -> str:
    submission = db.session.scalar(visible_submissions().where(Submission.public_id == public_id))
    if submission is None:
        abort(404)
    form = form_version(submission.form_id, submission.form_version)
    if form is None:
        abort(404)
    record("view_submission", "submission", submission.public_id)
    return render_template(
        "submissions/show.html", submission=submission, form=form,
        rows=_rows(form, submission), whole_notes=[n for n in submission.notes if n.question is None],
    )


def visible_submissions() -> Select[tuple[Submission]]:
    """Her organisation's submissions; for an interviewer, only hers from the last day."""
    query = select(Submission).where(Submission.organisation_id == organisation_of(current_user))
    if current_user.role == Role.INTERVIEWER:
        query = query.where(Submission.collected_by == current_user.id,
                            Submission.received_at >= utcnow() - INTERVIEWER_WINDOW)
    return query


def _rows(form: Form, submission: Submission) -> list[AnswerView]:
    answers = read_answers(form, submission)
    language = ui_language()
    chain = form.chain(language)
    rows = []
    for question in form.questions():
        if question.name not in answers:
            continue
        notes = [n for n in submission.notes if n.question == question.name]
        rows.append(AnswerView(question, question.label.in_language(chain),
                               _shown(question, answers[question.name], chain), notes))
    return rows


def _shown(question: Question, value: Any, chain: tuple[str, ...]) -> str:
    if value is None:
        return ""
    labels = {c.value: c.label.in_language(chain) for c in question.choices}
    if isinstance(value, list):
        return "; ".join(f"{i}. {labels.get(v, v)}" if question.type.name == "rank" else labels.get(v, v)
                         for i, v in enumerate(value, start=1))
    return labels.get(value, str(value))
