"""The things a role can do, as links: each one only for the roles its view allows."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import Role
from ..forms.definition import Form
from ..organisations.access import forms_for


@dataclass(frozen=True)
class Task:
    endpoint: str
    label: object
    help: object
    roles: tuple[Role, ...] | None = None  # a public page: those it is for


TASKS = [
    Task("collect.index", _l("Surveys"), _l("Start an interview on this device.")),
    Task("offline.shell", _l("Tablet app"), _l("Work offline on this tablet and send the interviews later."),
         (Role.ADMIN, Role.INTERVIEWER)),
    Task("submissions.index", _l("Submissions"), _l("The interviews sent to the server.")),
    Task("results.index", _l("Results"), _l("Counts and charts of the answers.")),
    Task("consent.withdrawal", _l("Withdraw"), _l("A participant takes back her answers.")),
    Task("review.index", _l("Translations"), _l("Check and comment on the surveys' translations.")),
    Task("authoring.index", _l("Forms"), _l("Upload a survey, try it in every language, publish it.")),
    Task("people.index", _l("People"), _l("Accounts of your organisation: add, disable, reset.")),
    Task("bulk.index", _l("Add interviewers"), _l("Several accounts at once, with a printable sheet.")),
    Task("organisations.index", _l("Organisations"), _l("Organisations, their surveys and their people.")),
    Task("audit.index", _l("Audit log"), _l("Who did what, and when.")),
]


def may_open(endpoint: str) -> bool:
    """Whether the current user's role may open ``endpoint`` (a public page: everyone)."""
    view = current_app.view_functions.get(endpoint)
    allowed = getattr(view, "allowed_roles", ())
    return "public" in allowed or getattr(current_user, "role", None) in allowed


def tasks() -> list[tuple[str, str, str]]:
    role = getattr(current_user, "role", None)
    return [(url_for(t.endpoint), str(t.label), str(t.help)) for t in TASKS
            if may_open(t.endpoint) and (t.roles is None or role in t.roles)]


def consent_registers() -> list[tuple[str, Form]]:
    """The consent register of each survey her organisation runs, if her role may read them."""
    if not may_open("consent.consent_register"):
        return []
    return [(url_for("consent.consent_register", form_id=form.id), form) for form in forms_for(current_user)]
