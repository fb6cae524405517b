"""Shared-tablet mode: the participant sees only her language, her consent and her survey.

The interviewer hands the tablet over for one survey; until her PIN is typed,
every other page leads to the PIN screen. An interview that is finished or
left with the quick-exit button is deleted (``drafts``): a page of it opened or
posted again (the back button, a resubmitted form) shows nothing of it.
"""

from __future__ import annotations

from flask import Flask, redirect, request, session, url_for
from werkzeug.wrappers import Response

HANDOVER = "handover"
PARTICIPANT_ENDPOINTS = {"collect.start", "collect.begin", "collect.show", "collect.page",
                         "collect.done", "collect.refused", "collect.unlock",
                         "collect.quick_exit", "static"}


def begin(form_id: str) -> None:
    session[HANDOVER] = form_id


def end() -> None:
    session.pop(HANDOVER, None)


def active_form() -> str | None:
    return session.get(HANDOVER)


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
