"""Roles as people read them: translated, and from the least to the most powerful."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from .models import Role

# The first of a menu is its default: the least powerful role.
LEAST_POWERFUL_FIRST = (Role.TRANSLATOR, Role.FORM_AUTHOR, Role.INTERVIEWER, Role.LEAD, Role.ADMIN)

LABELS = {
    Role.TRANSLATOR: _l("Translator"),
    Role.FORM_AUTHOR: _l("Form author"),
    Role.INTERVIEWER: _l("Interviewer"),
    Role.LEAD: _l("Organisation lead"),
    Role.ADMIN: _l("Administrator"),
}


def role_label(role: Role | str) -> str:
    return str(LABELS.get(Role(role), role))


def init_app(app: Flask) -> None:
    app.add_template_global(role_label)
