"""Shared-tablet mode: the participant sees only her language, her consent and her survey.

The interviewer hands the tablet over for one survey; until her PIN is typed,
every other page leads to the PIN screen. Interviews that are finished or
left with the quick-exit button are closed: a page of theirs posted again
(the back button, a resubmitted form) shows nothing of them.
"""

from __future__ import annotations

import uuid

from flask import Flask, redirect, request, session, url_for
from werkzeug.wrappers import Response

HANDOVER = "handover"
CLOSED = "closed_interviews"
KEEP_CLOSED = 50
PARTICIPANT_ENDPOINTS = {"collect.start", "collect.page", "collect.done", "collect.unlock",
                         "collect.quick_exit", "static"}


def begin(form_id: str) -> None:
    session[HANDOVER] = form_id


def end() -> None:
    session.pop(HANDOVER, None)


def active_form() -> str | None:
    return session.get(HANDOVER)


def close(interview_uuid: uuid.UUID | str) -> None:
    closed = [u for u in session.get(CLOSED, []) if u != str(interview_uuid)]
    session[CLOSED] = (closed + [str(interview_uuid)])[-KEEP_CLOSED:]


def is_closed(interview_uuid: uuid.UUID) -> bool:
    return str(interview_uuid) in session.get(CLOSED, [])


def _guard() -> Response | None:
    form_id = active_form()
    if form_id is None or request.endpoint is None:
        return None
    view_args = request.view_args or {}
    if request.endpoint in PARTICIPANT_ENDPOINTS and view_args.get("form_id", form_id) == form_id:
        return None
    return redirect(url_for("collect.unlock"))


def init_app(app: Flask) -> None:
    app.before_request(_guard)
    app.add_template_global(active_form, "handover_form")
