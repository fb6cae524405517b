"""The links in the header: only the pages the user's role may open."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LINKS = [
    ("collect.index", _l("Surveys")),
    ("submissions.index", _l("Submissions")),
    ("results.index", _l("Results")),
    ("consent.withdrawal", _l("Withdraw")),
    ("review.index", _l("Translations")),
    ("authoring.index", _l("Forms")),
    ("people.index", _l("People")),
    ("organisations.index", _l("Organisations")),
    ("audit.index", _l("Audit log")),
    ("vault.lock", _l("Lock the server now")),
]


def nav_links() -> list[tuple[str, str]]:
    role = getattr(current_user, "role", None)
    return [
        (endpoint, str(label)) for endpoint, label in LINKS
        if endpoint in current_app.view_functions
        and role in getattr(current_app.view_functions[endpoint], "allowed_roles", ())
    ]


def init_app(app: Flask) -> None:
    app.add_template_global(nav_links)
